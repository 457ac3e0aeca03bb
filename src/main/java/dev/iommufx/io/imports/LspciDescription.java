package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device as {@code lspci -nn} prints it, and as IOMMU-group listings and ls-iommu repeat it:
 * {@code [DDDD:]BB:DD.F Class name [cccc]: Vendor Device name [vvvv:dddd] (rev rr)}. ls-iommu leaves out the
 * colon after the class code and always prints the domain. A line cut short keeps what it has: a missing
 * {@code [vvvv:dddd]} or class code is reported by the caller.
 *
 * @param bdf       the address (domain 0000 when the listing leaves it out)
 * @param pciClass  class and sub-class in bits 23..8, prog-if 0; null when the text has no {@code [cccc]}
 * @param vendor    null when the text has no {@code [vvvv:dddd]}
 * @param device    null with vendor
 * @param name      the text between the class and the IDs: vendor and device names
 */
record LspciDescription(Bdf bdf, Integer pciClass, Integer vendor, Integer device, String name) {
    private static final Pattern ADDRESS =
            Pattern.compile("^((?:[0-9a-fA-F]{4,5}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7])(?:\\s+(.*))?$");
    private static final Pattern CLASS = Pattern.compile("\\[([0-9a-fA-F]{4})\\]:?");
    private static final Pattern IDS = Pattern.compile("\\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\\]");
    private static final Pattern REV = Pattern.compile("\\s*\\(rev [0-9a-fA-F]{2}\\)\\s*$");

    /** Parses a description that starts with the address; null when it does not. */
    static LspciDescription parse(String text) {
        Matcher m = ADDRESS.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        Bdf bdf = Bdf.parseOrNull(m.group(1));
        if (bdf == null) {
            return null;
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        Integer cls = null;
        Matcher c = CLASS.matcher(rest);
        int nameStart = 0;
        Matcher ids = IDS.matcher(rest);
        int idsAt = -1;
        Integer vendor = null;
        Integer device = null;
        while (ids.find()) { // the last pair: vendor names such as "[AMD]" come before it
            idsAt = ids.start();
            vendor = Integer.parseInt(ids.group(1), 16);
            device = Integer.parseInt(ids.group(2), 16);
        }
        if (c.find() && (idsAt < 0 || c.start() < idsAt)) {
            cls = Integer.parseInt(c.group(1), 16) << 8;
            nameStart = c.end();
        }
        String name = rest.substring(nameStart, idsAt >= 0 ? idsAt : rest.length());
        name = REV.matcher(name).replaceFirst("").replaceFirst("\\s*\\[[^\\]]*$", "").strip();
        return new LspciDescription(bdf, cls, vendor, device, name.isEmpty() ? null : name);
    }

    /** True for base classes the PCI Code and ID Assignment specification defines (00..13, 40, ff). */
    static boolean knownBaseClass(int pciClass) {
        int base = pciClass >> 16;
        return base <= 0x13 || base == 0x40 || base == 0xff;
    }
}
