package dev.iommufx.io.imports;

import dev.iommufx.model.Acs;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.SriovCapability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports the PCI devices of a Linux sysfs tree: the live system (the directory {@code /}), an unpacked
 * snapshot (a directory holding {@code sys/}), or a snapshot archive ({@code .tar.gz} or {@code .tar}) as
 * {@code collect-iommu-snapshot} writes it (layout: fixtures/kernel-6.1/README.md, "sysfs snapshots").
 * It only reads.
 *
 * <p>From each {@code sys/bus/pci/devices/<DDDD:BB:DD.F>} link: the parent is the path segment before the
 * device's own in the link target ({@code ../../../devices/pci0000:00/0000:00:02.0/0000:01:00.0} → 0000:00:02.0;
 * a {@code pciDDDD:BB} segment is a root bus); {@code vendor}, {@code device}, {@code class};
 * {@code driver_override} ("(null)" is none); the last segments of the {@code driver}, {@code iommu_group} and
 * {@code physfn} links. From {@code config} ({@code PciConfigSpace}): the multifunction bit, the PCIe type and
 * the ACS capability and control registers. From {@code sys/kernel/iommu_groups/<n>}: {@code type} ("unknown":
 * no default domain) and the members. From {@code sys/bus/pci/drivers}: the registered drivers.
 */
public final class SysfsImporter {
    private static final String DEVICES = "bus/pci/devices";

    private SysfsImporter() {
    }

    /**
     * @param root {@code /} for the live system, or a directory that holds {@code sys/} (a directory named
     *             {@code sys} that holds {@code bus/pci/devices} is accepted too)
     */
    public static ImportResult importDirectory(Path root) throws ImportException {
        FileTree tree = new FileTree.OnDisk(root);
        String name = root.getFileName() == null ? "this machine" : root.getFileName().toString();
        return importTree(tree, root.toString(), name, new ArrayList<>());
    }

    /** A snapshot archive: gzip-compressed or plain tar. */
    public static ImportResult importArchive(Path archive) throws ImportException, IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return importArchive(in, archive.getFileName().toString());
        }
    }

    /** A snapshot archive read from a stream; {@code name} names it in notes and becomes the machine's name. */
    public static ImportResult importArchive(InputStream in, String name) throws ImportException, IOException {
        List<ImportNote> notes = new ArrayList<>();
        List<TarArchive.Entry> entries = TarArchive.read(in, name, notes);
        FileTree tree;
        try {
            tree = new ArchiveTree(entries, name, notes);
        } catch (FileTree.TooLarge e) {
            throw new ImportException(name, e.getMessage(), notes, null);
        }
        return importTree(tree, name, name.replaceFirst("\\.(tar\\.gz|tgz|tar)$", ""), notes);
    }

    static ImportResult importTree(FileTree tree, String source, String name, List<ImportNote> early)
            throws ImportException {
        try {
            return readTree(tree, source, name, early);
        } catch (FileTree.TooLarge e) {
            throw new ImportException(source, e.getMessage(), early, null);
        }
    }

    private static ImportResult readTree(FileTree tree, String source, String name, List<ImportNote> early)
            throws ImportException {
        String sys = findSys(tree);
        if (sys == null) {
            throw new ImportException(source, "no sys/bus/pci/devices here: expected the root of a sysfs snapshot"
                    + " (a directory or archive holding sys/) or the live /", early, null);
        }
        TopologyAssembler asm = new TopologyAssembler(source);
        early.forEach(n -> asm.note(n.where(), n.what()));
        Map<Bdf, Integer> groupDirs = readGroups(tree, sys, asm);
        for (String drv : tree.names(sys + "bus/pci/drivers")) {
            asm.registeredDriver(drv);
        }
        Map<String, List<String>> configResets = new HashMap<>();
        for (String entry : tree.names(sys + DEVICES)) {
            readDevice(tree, sys, entry, asm, groupDirs, configResets);
        }
        SnapshotFacts.read(tree, sys, asm, configResets);
        for (Map.Entry<Bdf, Integer> e : groupDirs.entrySet()) {
            DeviceDraft d = asm.existing(e.getKey());
            if (d == null) {
                asm.note(sys + "kernel/iommu_groups/" + e.getValue(), e.getKey() + " is in this group but not in "
                        + sys + DEVICES + "; skipped");
            } else if (d.group == null) {
                d.group = e.getValue();
            } else if (!d.group.equals(e.getValue())) {
                asm.note(d.where, d.id() + ": iommu_group link says " + d.group + ", group " + e.getValue()
                        + " lists it; kept " + d.group);
            }
        }
        return asm.build(name, "Imported from the sysfs tree " + source + ".", TopologyAssembler.commonType(
                groupTypes(tree, sys)));
    }

    /** "sys/", "" (the tree is the sys directory itself) or "x/sys/" (an archive of a directory holding sys). */
    private static String findSys(FileTree tree) {
        if (tree.kindResolved("sys/" + DEVICES) == FileTree.Kind.DIR) {
            return "sys/";
        }
        if (tree.kindResolved(DEVICES) == FileTree.Kind.DIR) {
            return "";
        }
        for (String top : tree.names("")) {
            if (tree.kindResolved(top + "/sys/" + DEVICES) == FileTree.Kind.DIR) {
                return top + "/sys/";
            }
        }
        return null;
    }

    private static List<String> groupTypes(FileTree tree, String sys) {
        List<String> out = new ArrayList<>();
        for (String g : tree.names(sys + "kernel/iommu_groups")) {
            out.add(tree.text(sys + "kernel/iommu_groups/" + g + "/type"));
        }
        return out;
    }

    private static Map<Bdf, Integer> readGroups(FileTree tree, String sys, TopologyAssembler asm) {
        Map<Bdf, Integer> members = new HashMap<>();
        String base = sys + "kernel/iommu_groups";
        List<String> groups = tree.names(base);
        asm.facts().iommuGroups(!groups.isEmpty());
        if (groups.isEmpty()) {
            asm.iommuOff(); // the kernel makes /sys/kernel/iommu_groups/N for every group it has: it has none
        }
        for (String g : groups) {
            Integer id = LineScanner.groupNumber(g);
            if (id == null) {
                asm.note(base + "/" + ListingText.abbreviate(g), "not a group number (" + LineScanner.groupNumberExpected()
                        + "); skipped");
                continue;
            }
            String type = tree.text(base + "/" + g + "/type");
            if (type != null) {
                asm.groupType(id, type);
                asm.facts().groupType(type);
            }
            for (String member : tree.names(base + "/" + g + "/devices")) {
                Bdf bdf = Bdf.parseOrNull(member);
                if (bdf == null) {
                    asm.note(base + "/" + g + "/devices/" + member, "not a PCI device (out of scope); skipped");
                } else {
                    members.put(bdf, id);
                }
            }
        }
        return members;
    }

    private static void readDevice(FileTree tree, String sys, String entry, TopologyAssembler asm,
                                   Map<Bdf, Integer> groupDirs, Map<String, List<String>> configResets)
            throws ImportException {
        String where = sys + DEVICES + "/" + entry;
        Bdf bdf = Bdf.parseOrNull(entry);
        if (bdf == null || !entry.contains(":") || entry.indexOf(':') == entry.lastIndexOf(':')) {
            asm.note(where, "not a PCI address DDDD:BB:DD.F; skipped");
            return;
        }
        String dir = tree.resolve(where);
        if (dir == null || tree.kind(dir) != FileTree.Kind.DIR) {
            asm.note(where, "dangling link or not a directory; skipped");
            return;
        }
        DeviceDraft d = asm.device(bdf, where);
        String target = tree.link(where);
        List<String> segments = FileTree.split(target != null ? target : dir);
        if (segments.size() >= 2) {
            Bdf parent = Bdf.parseOrNull(segments.get(segments.size() - 2));
            d.parent = parent == null ? null : parent.toString(); // "pciDDDD:BB" or no PCI parent: a root bus
        }
        d.vendor = hex(tree, dir + "/vendor", asm);
        d.device = hex(tree, dir + "/device", asm);
        d.pciClass = hex(tree, dir + "/class", asm);
        String override = tree.text(dir + "/driver_override");
        d.driverOverride = override == null || override.isEmpty() || override.equals("(null)") ? null : override;
        asm.stateDriver(d, lastSegment(tree.link(dir + "/driver")), where);
        d.physfn = lastSegment(tree.link(dir + "/physfn"));
        String group = lastSegment(tree.link(dir + "/iommu_group"));
        if (group != null) {
            d.group = LineScanner.groupNumber(group);
            if (d.group == null) {
                asm.note(where, "iommu_group link to \"" + ListingText.abbreviate(group) + "\" is not a group number ("
                        + LineScanner.groupNumberExpected() + ")");
            }
        }
        readConfig(tree.bytes(dir + "/config", 4096), d, where, asm, configResets);
        d.sriov = sriov(tree, dir, asm);
        SnapshotFacts.device(tree, dir, d, asm);
    }

    /**
     * A physical function's SR-IOV capability as sysfs shows it (drivers/pci/iov.c: sriov_totalvfs, sriov_offset,
     * sriov_stride, sriov_vf_device, sriov_drivers_autoprobe); null when the function has none.
     */
    private static SriovCapability sriov(FileTree tree, String dir, TopologyAssembler asm) {
        String total = tree.text(dir + "/sriov_totalvfs");
        if (total == null) {
            return null;
        }
        Integer totalVfs = decimal(total, dir + "/sriov_totalvfs", asm);
        Integer offset = decimal(tree.text(dir + "/sriov_offset"), dir + "/sriov_offset", asm);
        Integer stride = decimal(tree.text(dir + "/sriov_stride"), dir + "/sriov_stride", asm);
        Integer vfDevice = hex(tree, dir + "/sriov_vf_device", asm);
        String autoprobe = tree.text(dir + "/sriov_drivers_autoprobe");
        if (totalVfs == null || totalVfs < 1 || offset == null || offset < 1) {
            asm.note(dir, "SR-IOV attributes without a usable TotalVFs and First VF Offset: SR-IOV ignored");
            return null;
        }
        return new SriovCapability(totalVfs, offset, stride == null ? 1 : stride, vfDevice == null ? 0 : vfDevice,
                !"0".equals(autoprobe));
    }

    /** A small decimal number as sysfs writes it; null (with a note) if it is not one. */
    private static Integer decimal(String s, String path, TopologyAssembler asm) {
        if (s == null) {
            return null;
        }
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)
                || Integer.parseInt(s) > 0xffff) {
            asm.note(path, "\"" + ListingText.abbreviate(s) + "\" is not a number from 0 to 65535; ignored");
            return null;
        }
        return Integer.parseInt(s);
    }

    private static void readConfig(byte[] bytes, DeviceDraft d, String where, TopologyAssembler asm,
                                   Map<String, List<String>> configResets) {
        if (bytes == null || bytes.length < 64) {
            asm.note(where + "/config", bytes == null ? "no config: multifunction, PCIe type and ACS unknown"
                    : "unreadable config (" + bytes.length + " bytes): multifunction, PCIe type and ACS unknown");
            return;
        }
        PciConfigSpace cfg = new PciConfigSpace(bytes);
        List<String> resets = cfg.resetMethods();
        if (resets != null) {
            configResets.put(d.id(), resets);
        }
        d.multifunction = cfg.multifunction();
        d.vendor = d.vendor != null ? d.vendor : cfg.vendor();
        d.device = d.device != null ? d.device : cfg.device();
        d.pciClass = d.pciClass != null ? d.pciClass : cfg.classCode();
        int exp = cfg.findCapability(PciConfigSpace.CAP_ID_EXP);
        if (exp == PciConfigSpace.UNREADABLE) {
            asm.note(where + "/config", "only " + bytes.length + " bytes readable (collected without root?):"
                    + " PCIe type and ACS unknown, treated as conventional PCI");
            return;
        }
        if (exp == 0) {
            return; // conventional PCI or PCI-X: no PCIe type, no ACS
        }
        int code = cfg.pcieTypeCode(exp);
        PcieType type = PciConfigSpace.pcieType(code);
        if (type == null) {
            asm.note(where + "/config", "unknown PCIe device/port type " + code + "; treated as conventional PCI");
            return;
        }
        d.pcieType = type;
        int acs = cfg.findExtCapability(PciConfigSpace.EXT_CAP_ID_ACS);
        if (acs == PciConfigSpace.UNREADABLE) {
            asm.note(where + "/config", "no extended configuration space (" + bytes.length + " bytes): ACS unknown,"
                    + " taken as absent");
        } else if (acs > 0) {
            Acs a = cfg.acs(acs);
            d.acs = a;
        }
    }

    private static Integer hex(FileTree tree, String path, TopologyAssembler asm) {
        String s = tree.text(path);
        if (s == null) {
            return null;
        }
        String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (digits.isEmpty() || digits.length() > 6 || LineScanner.hexDigitsAt(digits, 0, 6) != digits.length()) {
            asm.note(path, "\"" + ListingText.abbreviate(s) + "\" is not a hex number of up to 6 digits; ignored");
            return null;
        }
        return Integer.parseInt(digits, 16);
    }

    private static String lastSegment(String link) {
        if (link == null) {
            return null;
        }
        List<String> parts = FileTree.split(link);
        return parts.isEmpty() ? null : parts.get(parts.size() - 1);
    }
}
