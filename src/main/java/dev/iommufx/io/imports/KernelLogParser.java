package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.PcieType;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel log as a listing: each device the IOMMU core puts in a group says so,
 * {@code pci 0000:00:1f.3: Adding to iommu group 8} ({@code drivers/iommu/iommu.c: iommu_group_add_device()}), so a
 * log from boot lists every group (kernel-model §3.10). From PCI enumeration it also takes each function's IDs,
 * class and port type ({@code pci 0000:00:02.0: [8086:3e92] type 00 class 0x030000 PCIe Root Complex Integrated
 * Endpoint}, {@code drivers/pci/probe.c: pci_setup_device()}) and the bridges' secondary buses
 * ({@code PCI bridge to [bus 02-05]}), which give the tree. A device later "Removing from iommu group" is gone.
 * The log names no drivers. Everything else in the log goes to the facts ({@link KernelLog#collectFacts}).
 */
final class KernelLogParser {
    /** What the kernel prints first at every boot: {@code linux_banner}. */
    private static final String BANNER = "Linux version ";

    private KernelLogParser() {
    }

    static boolean present(ListingText text) {
        for (String line : text.lines) {
            if (line.contains("iommu group")) {
                for (String m : KernelLog.records(line)) {
                    KernelLog.DeviceMessage dm = KernelLog.deviceMessage(m);
                    if (dm != null && KernelLog.addedToGroup(dm.text()) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        Map<Long, Bdf> bridgeTo = new HashMap<>();
        Map<Bdf, String> removed = new HashMap<>();
        int from = lastBoot(text, asm);
        int quiet = 0;
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            if (!KernelLog.isLogLine(line) && !line.contains("iommu group")) {
                continue;
            }
            text.consumed.set(i);
            if (i < from) {
                continue; // an earlier boot's
            }
            boolean used = false;
            boolean booted = i != from; // the last boot's first line: from its banner on
            for (String m : KernelLog.records(line)) {
                booted |= m.startsWith(BANNER);
                used |= booted && message(m, text.where(i), asm, bridgeTo, removed);
            }
            quiet += used ? 0 : 1;
        }
        if (quiet > 0) {
            asm.note(text.source, quiet + " kernel log line" + (quiet == 1 ? " says" : "s say")
                    + " nothing about groups, devices or the IOMMU; skipped");
        }
        removed.forEach((bdf, where) -> {
            DeviceDraft d = asm.existing(bdf);
            if (d != null && d.group == null) {
                asm.note(where, bdf + " was removed from its IOMMU group and not added again: it is gone");
                asm.drop(d);
            }
        });
        placeBelowBridges(asm, bridgeTo);
    }

    /**
     * The line where the log's last boot starts, -1 for a log of one boot (or of none from its start). A saved journal
     * ({@code journalctl -k -o short-monotonic}) or dmesg outputs pasted one after another hold several boots, and
     * each says other things (another command line, devices added or gone, the IOMMU turned off): the machine is the
     * one that booted last. The kernel prints its banner first at every boot ({@code init/main.c: start_kernel()}).
     */
    private static int lastBoot(ListingText text, TopologyAssembler asm) {
        int boots = 0;
        int last = 0;
        for (int i = 0; i < text.size(); i++) {
            if (text.line(i).contains(BANNER)) {
                for (String m : KernelLog.records(text.line(i))) {
                    if (m.startsWith(BANNER)) {
                        boots++;
                        last = i;
                    }
                }
            }
        }
        if (boots < 2) {
            return -1;
        }
        asm.note(text.where(last), "the log holds " + boots + " boots; the machine is read from the last one, which"
                + " starts here (" + last + " line" + (last == 1 ? "" : "s") + " before it skipped)");
        return last;
    }

    /** One message; true when it said something the import uses. */
    private static boolean message(String m, String where, TopologyAssembler asm, Map<Long, Bdf> bridgeTo,
                                   Map<Bdf, String> removed) throws ImportException {
        boolean fact = KernelLog.collectFacts(m, asm.facts());
        KernelLog.DeviceMessage dm = KernelLog.deviceMessage(m);
        if (dm == null) {
            return fact;
        }
        Bdf bdf = Bdf.parseOrNull(dm.device());
        Integer added = KernelLog.addedToGroup(dm.text());
        Integer gone = KernelLog.removedFromGroup(dm.text());
        if (added != null) {
            DeviceDraft d = bdf != null && dm.device().indexOf(':') != dm.device().lastIndexOf(':')
                    ? asm.device(bdf, where) : other(dm, where, asm);
            if (d == null) {
                return false;
            }
            d.group = d.group == null || removed.remove(d.bdf) != null ? added
                    : asm.merge(d, d.group, added, "IOMMU group", where);
            asm.facts().iommuGroups(true);
            return true;
        }
        if (gone != null && bdf != null && asm.existing(bdf) != null) {
            asm.existing(bdf).group = null;
            removed.put(bdf, where);
            return true;
        }
        if (bdf == null) {
            return fact;
        }
        String bootVga = KernelLog.bootVgaDevice(m);
        if (bootVga != null) {
            asm.facts().bootVgaFromLog(bdf.toString());
            return true;
        }
        return enumeration(bdf, dm.text(), where, asm) || bridge(bdf, dm.text(), bridgeTo) || fact;
    }

    private static DeviceDraft other(KernelLog.DeviceMessage dm, String where, TopologyAssembler asm)
            throws ImportException {
        if (!OtherDevices.plausibleName(dm.device())) {
            return null;
        }
        return asm.other(dm.device(), OtherDevices.bus(dm.subsystem()), where);
    }

    /** {@code [8086:3e92] type 00 class 0x030000 PCIe Root Complex Integrated Endpoint}. */
    private static boolean enumeration(Bdf bdf, String text, String where, TopologyAssembler asm)
            throws ImportException {
        LineScanner s = new LineScanner(text);
        if (!s.skip('[')) {
            return false;
        }
        int vendor = s.hex(4, 4);
        int device = s.skip(':') ? s.hex(4, 4) : -1;
        if (vendor < 0 || device < 0 || !s.skip(']') || s.skipSpaces() == 0 || !s.skipIgnoreCase("type ")) {
            return false;
        }
        int header = s.hex(2, 2);
        s.skipSpaces();
        if (header < 0 || !s.skipIgnoreCase("class 0x")) {
            return false;
        }
        int cls = s.hex(6, 6);
        if (cls < 0) {
            return false;
        }
        s.skipSpaces();
        DeviceDraft d = asm.device(bdf, where);
        d.vendor = asm.merge(d, d.vendor, vendor, "vendor", where);
        d.device = asm.merge(d, d.device, device, "device", where);
        d.pciClass = asm.mergeClass(d, cls, where);
        d.bridge |= (header & 0x7f) == 1;
        PcieType type = pcieType(s.rest());
        if (type != null && d.pcieType == null) {
            d.pcieType = type;
        }
        return true;
    }

    /** The port type words of {@code drivers/pci/probe.c: pci_type_str()} (6.7 and later print them). */
    private static PcieType pcieType(String words) {
        return switch (words.strip()) {
            case "PCIe Endpoint" -> PcieType.ENDPOINT;
            case "PCIe Legacy Endpoint" -> PcieType.LEGACY_ENDPOINT;
            case "PCIe Root Port" -> PcieType.ROOT_PORT;
            case "PCIe Switch Upstream Port" -> PcieType.UPSTREAM_PORT;
            case "PCIe Switch Downstream Port" -> PcieType.DOWNSTREAM_PORT;
            case "PCIe to PCI/PCI-X bridge" -> PcieType.PCIE_TO_PCI_BRIDGE;
            case "PCI/PCI-X to PCIe bridge" -> PcieType.PCI_TO_PCIE_BRIDGE;
            case "PCIe Root Complex Integrated Endpoint" -> PcieType.RC_INTEGRATED_ENDPOINT;
            case "PCIe Root Complex Event Collector" -> PcieType.RC_EVENT_COLLECTOR;
            default -> null;
        };
    }

    /** {@code PCI bridge to [bus 02]} or {@code [bus 02-05]}: the bridge's secondary bus. */
    private static boolean bridge(Bdf bdf, String text, Map<Long, Bdf> bridgeTo) {
        String words = "PCI bridge to [bus ";
        if (!text.startsWith(words)) {
            return false;
        }
        LineScanner s = new LineScanner(text.substring(words.length()));
        int secondary = s.hex(2, 2);
        if (secondary < 0) {
            return false;
        }
        bridgeTo.putIfAbsent((long) bdf.domain() << 8 | secondary, bdf);
        return true;
    }

    /** A function on a bridge's secondary bus sits below that bridge, unless a source said otherwise. */
    private static void placeBelowBridges(TopologyAssembler asm, Map<Long, Bdf> bridgeTo) {
        if (bridgeTo.isEmpty()) {
            return;
        }
        for (DeviceDraft d : asm.pciDevices()) {
            Bdf above = bridgeTo.get(d.bdf.busKey());
            if (d.parent == null && above != null && !above.equals(d.bdf)) {
                d.parent = above.toString();
                DeviceDraft bridge = asm.existing(above);
                if (bridge != null) {
                    bridge.bridge = true;
                }
            }
        }
    }
}
