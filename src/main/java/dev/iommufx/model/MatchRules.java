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
public record MatchRules(List<String> ids, List<String> classes, boolean overrideOnly, int[] pciIds,
                         int[][] classPrefixes) {
    public static final MatchRules OVERRIDE_ONLY = new MatchRules(List.of(), List.of(), true);

    /** @param pciIds vendor &lt;&lt; 16 | device of each PCI id, -1 halves for ffff; classPrefixes {value, digits} */
    public MatchRules {
        ids = List.copyOf(ids);
        classes = List.copyOf(classes);
    }

    public MatchRules(List<String> ids, List<String> classes, boolean overrideOnly) {
        this(ids, classes, overrideOnly, parseIds(ids), parseClasses(classes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchRules m && ids.equals(m.ids) && classes.equals(m.classes)
                && overrideOnly == m.overrideOnly;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(ids, classes, overrideOnly);
    }

    @Override
    public String toString() {
        return "MatchRules[ids=" + ids + ", classes=" + classes + ", overrideOnly=" + overrideOnly + "]";
    }

    /** The PCI ids as numbers, once: matching runs on every bind and probe. */
    private static int[] parseIds(List<String> ids) {
        int[] out = new int[ids.size() * 2];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            int colon = id.indexOf(':');
            out[2 * i] = colon < 0 ? -2 : half(id.substring(0, colon));
            out[2 * i + 1] = colon < 0 ? -2 : half(id.substring(colon + 1));
        }
        return out;
    }

    private static int half(String hex) {
        if (hex.equalsIgnoreCase("ffff")) {
            return -1;
        }
        try {
            return Integer.parseInt(hex, 16);
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private static int[][] parseClasses(List<String> classes) {
        int[][] out = new int[classes.size()][];
        for (int i = 0; i < classes.size(); i++) {
            String c = classes.get(i);
            int value;
            try {
                value = c.isEmpty() ? 0 : Integer.parseInt(c, 16);
            } catch (NumberFormatException e) {
                value = -1;
            }
            out[i] = new int[] {value, c.length()};
        }
        return out;
    }

    /** Does an ID-table entry match this device (ignoring {@code driver_override})? */
    public boolean matchesTable(DeviceSpec dev) {
        if (overrideOnly) {
            return false;
        }
        if (dev.bus() != BusType.PCI) {
            return dev.compatible() != null && ids.contains(dev.compatible());
        }
        for (int i = 0; i < pciIds.length; i += 2) {
            int v = pciIds[i];
            int d = pciIds[i + 1];
            if (v != -2 && d != -2 && (v == -1 || v == dev.vendor()) && (d == -1 || d == dev.device())) {
                return true;
            }
        }
        for (int[] prefix : classPrefixes) {
            int digits = prefix[1];
            if (digits <= 6 && prefix[0] >= 0 && dev.pciClass() >> (4 * (6 - digits)) == prefix[0]) {
                return true;
            }
        }
        return false;
    }

}
