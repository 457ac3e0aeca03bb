package dev.iommufx.model;

import java.util.List;

/**
 * What a driver's ID table matches ({@code pci_match_device()} for PCI, {@code of_match_table} elsewhere).
 *
 * @param ids          PCI {@code vendor:device} pairs, {@code ffff} as a wildcard half; on other buses the
 *                     {@code compatible} strings
 * @param classes      PCI class prefixes in hex: "0604" matches every 0604xx, "0c0330" one prog-if
 * @param overrideOnly every entry is {@code override_only}: the driver binds only through {@code driver_override}
 *                     (vfio-pci's table, pci-stub without {@code ids=})
 */
public record MatchRules(List<String> ids, List<String> classes, boolean overrideOnly) {
    public static final MatchRules OVERRIDE_ONLY = new MatchRules(List.of(), List.of(), true);

    public MatchRules {
        ids = List.copyOf(ids);
        classes = List.copyOf(classes);
    }

    /** Does an ID-table entry match this device (ignoring {@code driver_override})? */
    public boolean matchesTable(DeviceSpec dev) {
        if (overrideOnly) {
            return false;
        }
        if (dev.bus() != BusType.PCI) {
            return dev.compatible() != null && ids.contains(dev.compatible());
        }
        for (String id : ids) {
            if (idMatches(id, dev)) {
                return true;
            }
        }
        String cls = String.format("%06x", dev.pciClass());
        for (String prefix : classes) {
            if (cls.startsWith(prefix.toLowerCase())) {
                return true;
            }
        }
        return false;
    }

    private static boolean idMatches(String id, DeviceSpec dev) {
        int colon = id.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String v = id.substring(0, colon).toLowerCase();
        String d = id.substring(colon + 1).toLowerCase();
        return (v.equals("ffff") || Integer.parseInt(v, 16) == dev.vendor())
                && (d.equals("ffff") || Integer.parseInt(d, 16) == dev.device());
    }
}
