package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;

/**
 * One device as {@code lspci -nn} prints it, and as IOMMU-group listings and ls-iommu repeat it:
 * {@code [DDDD:]BB:DD.F Class name [cccc]: Vendor Device name [vvvv:dddd] (rev rr)}. ls-iommu leaves out the
 * colon after the class code and always prints the domain. Plain {@code lspci} prints no codes
 * ({@code 00:1c.0 PCI bridge: Intel Corporation ...}): the class then comes from its name ({@link PciClassNames}). A line cut short keeps what it has: a missing
 * {@code [vvvv:dddd]} or class code is reported by the caller.
 *
 * @param bdf       the address (domain 0000 when the listing leaves it out)
 * @param pciClass  class and sub-class in bits 23..8, prog-if 0; null when the text has no {@code [cccc]}
 * @param vendor    null when the text has no {@code [vvvv:dddd]}
 * @param device    null with vendor
 * @param name      the text between the class and the IDs: vendor and device names
 */
record LspciDescription(Bdf bdf, Integer pciClass, Integer vendor, Integer device, String name) {
    /** Parses a description that starts with the address; null when it does not. Linear in the text. */
    static LspciDescription parse(String text) {
        String t = text.strip();
        LineScanner s = new LineScanner(t);
        Bdf bdf = s.address();
        if (bdf == null || !s.atEnd() && s.skipSpaces() == 0) {
            return null;
        }
        String rest = s.rest();
        int idsAt = lastIdPair(rest);
        Integer vendor = idsAt < 0 ? null : Integer.parseInt(rest, idsAt + 1, idsAt + 5, 16);
        Integer device = idsAt < 0 ? null : Integer.parseInt(rest, idsAt + 6, idsAt + 10, 16);
        int classAt = firstClassCode(rest);
        Integer cls = null;
        int nameStart = 0;
        if (classAt >= 0 && (idsAt < 0 || classAt < idsAt)) {
            cls = Integer.parseInt(rest, classAt + 1, classAt + 5, 16) << 8;
            nameStart = classAt + 6 < rest.length() && rest.charAt(classAt + 6) == ':' ? classAt + 7 : classAt + 6;
        } else {
            int words = className(rest);
            if (words > 0) { // plain lspci: "PCI bridge: Intel Corporation ..."
                cls = classOfName(rest.substring(0, words));
                nameStart = words < rest.length() && rest.charAt(words) == ':' ? words + 1 : words;
            }
        }
        String name = withoutOpenBracket(withoutRevision(rest.substring(nameStart, idsAt >= 0 ? idsAt : rest.length())));
        return new LspciDescription(bdf, cls, vendor, device, name.isEmpty() ? null : name);
    }

    /**
     * The length of the class's name at the start of a plain lspci description: one lspci prints from pci.ids, or
     * its "Class 0c80" for a class pci.ids does not know; 0 when there is none.
     */
    private static int className(String rest) {
        if (rest.startsWith("Class ") && LineScanner.hexDigitsAt(rest, 6, 5) == 4) {
            return 10;
        }
        return PciClassNames.nameAt(rest, 0);
    }

    private static Integer classOfName(String words) {
        return words.startsWith("Class ") ? Integer.parseInt(words, 6, 10, 16) << 8 : PciClassNames.code(words);
    }

    /** Where the last {@code [vvvv:dddd]} starts (vendor names such as "[AMD]" come before it), or -1. */
    static int lastIdPair(String s) {
        for (int at = s.lastIndexOf('['); at >= 0; at = at == 0 ? -1 : s.lastIndexOf('[', at - 1)) {
            if (LineScanner.hexThen(s, at + 1, 4, ':') && LineScanner.hexThen(s, at + 6, 4, ']')) {
                return at;
            }
        }
        return -1;
    }

    /** Where the first {@code [cccc]} starts, or -1. */
    private static int firstClassCode(String s) {
        for (int at = s.indexOf('['); at >= 0; at = s.indexOf('[', at + 1)) {
            if (LineScanner.hexThen(s, at + 1, 4, ']')) {
                return at;
            }
        }
        return -1;
    }

    /** Without a trailing {@code (rev a1)}, stripped. */
    static String withoutRevision(String name) {
        String t = name.strip();
        int n = t.length();
        if (n >= 8 && t.startsWith("(rev ", n - 8) && t.charAt(n - 1) == ')'
                && LineScanner.hexDigitsAt(t, n - 3, 2) == 2) {
            return t.substring(0, n - 8).strip();
        }
        return t;
    }

    /** Without a last {@code [} that is never closed (a line cut short), stripped. */
    private static String withoutOpenBracket(String name) {
        int open = name.indexOf('[', name.lastIndexOf(']') + 1);
        return open >= 0 ? name.substring(0, open).strip() : name.strip();
    }

    /** True for base classes the PCI Code and ID Assignment specification defines (00..13, 40, ff). */
    static boolean knownBaseClass(int pciClass) {
        int base = pciClass >> 16;
        return base <= 0x13 || base == 0x40 || base == 0xff;
    }
}
