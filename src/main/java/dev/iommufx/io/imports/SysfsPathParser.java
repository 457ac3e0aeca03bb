package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceFacts;

/**
 * Listings of sysfs paths, one per line:
 * <ul>
 * <li>{@code find /sys/kernel/iommu_groups/ -type l} and {@code compgen -G "/sys/kernel/iommu_groups/*}{@code /devices/*"}:
 *     {@code /sys/kernel/iommu_groups/N/devices/DEV}, in any order; DEV is a PCI address or another bus's device
 *     name ({@code ff8f0000.vop});</li>
 * <li>{@code grep . /sys/kernel/iommu_groups/*}{@code /type}: {@code /sys/kernel/iommu_groups/N/type:DMA-FQ};</li>
 * <li>{@code find /sys/devices -name reset_method | xargs grep .} (and the same for {@code boot_vga}):
 *     {@code /sys/devices/pci0000:00/0000:00:01.2/0000:03:00.0/reset_method:pm bus}, whose path also gives the
 *     device's parent; or {@code /sys/bus/pci/devices/DEV/reset_method:flr}.</li>
 * </ul>
 * These listings name no drivers, IDs or classes.
 */
final class SysfsPathParser {
    private static final String GROUPS = "/sys/kernel/iommu_groups/";
    private static final String DEVICES = "/sys/devices/";
    private static final String BUS_DEVICES = "/sys/bus/pci/devices/";

    private SysfsPathParser() {
    }

    static boolean present(ListingText text) {
        for (String line : text.lines) {
            String t = line.strip();
            if (t.startsWith(GROUPS) && groupMember(t) != null || t.startsWith("/sys/") && attribute(t) != null) {
                return true;
            }
        }
        return false;
    }

    /** {@code N} and {@code DEV} of {@code /sys/kernel/iommu_groups/N/devices/DEV}, or null. */
    private record Member(int group, String device) {
    }

    private static Member groupMember(String t) {
        LineScanner s = new LineScanner(t.substring(GROUPS.length()));
        long n = s.decimal();
        if (n < 0 || n > dev.iommufx.io.Limits.GROUP_NUMBER || !s.skip('/') || !s.skipIgnoreCase("devices/")) {
            return null;
        }
        String dev = s.rest();
        dev = dev.endsWith("/") ? dev.substring(0, dev.length() - 1) : dev;
        return OtherDevices.plausibleName(dev) ? new Member((int) n, dev) : null;
    }

    /** {@code DIR/ATTR:VALUE} for the attributes read here; null for anything else. */
    private record Attribute(String dir, String name, String value) {
    }

    private static Attribute attribute(String t) {
        int slash = t.lastIndexOf('/');
        int colon = t.indexOf(':', slash + 1);
        if (slash < 0 || colon < 0) {
            return null;
        }
        String name = t.substring(slash + 1, colon);
        boolean known = name.equals("reset_method") || name.equals("boot_vga") || name.equals("type");
        return known ? new Attribute(t.substring(0, slash), name, t.substring(colon + 1).strip()) : null;
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        for (int i = 0; i < text.size(); i++) {
            String t = text.line(i).strip();
            if (!t.startsWith("/sys/")) {
                continue;
            }
            String where = text.where(i);
            Member m = t.startsWith(GROUPS) ? groupMember(t) : null;
            if (m != null) {
                text.consumed.set(i);
                member(m, where, asm);
                continue;
            }
            Attribute a = attribute(t);
            if (a != null && attribute(a, where, asm)) {
                text.consumed.set(i);
            }
        }
    }

    private static void member(Member m, String where, TopologyAssembler asm) throws ImportException {
        Bdf bdf = Bdf.parseOrNull(m.device());
        DeviceDraft d = bdf != null ? asm.device(bdf, where) : asm.other(m.device(), BusType.PLATFORM, where);
        d.group = asm.merge(d, d.group, m.group(), "IOMMU group", where);
        asm.facts().iommuGroups(true);
    }

    /** One attribute line; false when its path is not one read here. */
    private static boolean attribute(Attribute a, String where, TopologyAssembler asm) throws ImportException {
        if (a.name().equals("type")) {
            if (!a.dir().startsWith(GROUPS) || LineScanner.groupNumber(a.dir().substring(GROUPS.length())) == null) {
                return false;
            }
            asm.facts().groupType(a.value());
            return true;
        }
        String dir = a.dir();
        String device = dir.substring(dir.lastIndexOf('/') + 1);
        Bdf bdf = Bdf.parseOrNull(device);
        if (bdf == null || !dir.startsWith(DEVICES) && !dir.equals(BUS_DEVICES + device)) {
            return false;
        }
        DeviceDraft d = asm.device(bdf, where);
        if (dir.startsWith(DEVICES)) {
            String above = dir.substring(0, dir.lastIndexOf('/'));
            Bdf parent = Bdf.parseOrNull(above.substring(above.lastIndexOf('/') + 1));
            d.parent = d.parent != null ? d.parent : parent == null ? null : parent.toString();
        }
        if (a.name().equals("reset_method")) {
            asm.facts().reset(bdf.toString(), SnapshotFacts.words(a.value()), DeviceFacts.ResetSource.RESET_METHOD);
        } else if (a.value().equals("1") || a.value().equals("0")) {
            asm.facts().bootVga(bdf.toString(), a.value().equals("1"));
        }
        return true;
    }
}
