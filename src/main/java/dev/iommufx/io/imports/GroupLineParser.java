package dev.iommufx.io.imports;

import java.util.HashMap;
import java.util.Map;
import dev.iommufx.io.Limits;

/**
 * Lines that pair an IOMMU group with a device, in the shapes people paste:
 * <ul>
 * <li>the shell loop of the Arch wiki and countless forum posts, one line per device:
 *     {@code IOMMU Group 12 00:1c.0 PCI bridge [0604]: Intel Corporation ... [8086:a110] (rev f0)}, also with
 *     {@code IOMMU Group 12: } or "group" in lower case;</li>
 * <li>its variant with a header per group and the members indented below:
 *     {@code IOMMU Group 1:} then {@code \t00:01.0 PCI bridge [0604]: ...};</li>
 * <li>ls-iommu (github.com/HikariKnight/ls-iommu, {@code pkg/iommu/genoutput.go}): the group number padded to
 *     three places, the full address, no colon after the class code:
 *     {@code IOMMU Group  12: 0000:01:00.0 USB controller [0c03] Advanced Micro Devices, Inc. [AMD] ... [1022:43d0] (rev 01)};</li>
 * </ul>
 * each optionally followed, with {@code lspci -k} or {@code ls-iommu -k}, by indented {@code Subsystem:},
 * {@code Kernel driver in use: xhci_hcd} and {@code Kernel modules:} lines. The tree is not in these
 * listings, so devices get no parent; the groups are the listing's.
 */
final class GroupLineParser {
    /** {@code IOMMU Group 12}, then an optional colon and the rest of the line; null when not a group line. */
    private record GroupLine(long number, boolean colon, int restAt, String rest) {
    }

    private GroupLineParser() {
    }

    /** Reads {@code ^\s*IOMMU\s+Group\s+(-?\d+)\s*:?\s*(.*)$}, ignoring case, in one pass. */
    private static GroupLine groupLine(String line) {
        LineScanner s = new LineScanner(line);
        s.skipSpaces();
        if (!s.skipIgnoreCase("IOMMU") || s.skipSpaces() == 0 || !s.skipIgnoreCase("Group") || s.skipSpaces() == 0) {
            return null;
        }
        boolean negative = s.skip('-');
        long number = s.decimal();
        if (number < 0) {
            return null;
        }
        s.skipSpaces();
        boolean colon = s.skip(':');
        s.skipSpaces();
        return new GroupLine(negative ? -1 : number, colon, s.pos(), s.rest());
    }

    static boolean present(ListingText text) {
        return text.lines.stream().anyMatch(l -> groupLine(l) != null);
    }

    /**
     * An ls-iommu device line: a full address after the colon, then somewhere a class code {@code [cccc]}
     * followed by white space (ls-iommu writes no colon after it).
     */
    static boolean isLsIommu(ListingText text) {
        return text.lines.stream().anyMatch(GroupLineParser::isLsIommuLine);
    }

    private static boolean isLsIommuLine(String line) {
        GroupLine g = groupLine(line);
        if (g == null || !g.colon() || g.rest().isEmpty() || g.restAt() == 0
                || !Character.isWhitespace(line.charAt(g.restAt() - 1))) {
            return false;
        }
        LineScanner s = new LineScanner(g.rest());
        int start = s.pos();
        if (s.address() == null || s.pos() - start < 12 || s.skipSpaces() == 0) {
            return false; // the full DDDD:BB:DD.F, then a blank
        }
        String rest = s.rest();
        for (int at = rest.indexOf('['); at >= 0; at = rest.indexOf('[', at + 1)) {
            if (LineScanner.hexThen(rest, at + 1, 4, ']') && at + 6 < rest.length()
                    && Character.isWhitespace(rest.charAt(at + 6))) {
                return true;
            }
        }
        return false;
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        Integer header = null;
        DeviceDraft last = null;
        Map<String, Integer> seenLines = new HashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            GroupLine g = groupLine(line);
            if (g != null) {
                text.consumed.set(i);
                Integer group = g.number() <= Limits.GROUP_NUMBER && g.number() >= 0 ? (int) g.number() : null;
                if (group == null) {
                    asm.note(text.where(i), "the group number is out of range (" + LineScanner.groupNumberExpected()
                            + "); line skipped");
                    header = null;
                    last = null;
                    continue;
                }
                String rest = g.rest().strip();
                if (rest.isEmpty()) {
                    header = group;
                    last = null;
                    continue;
                }
                header = null;
                last = device(text, i, group, rest, asm, seenLines);
                continue;
            }
            String driver = driverInUse(line);
            if (driver != null && last != null) {
                text.consumed.set(i);
                last.driver = asm.merge(last, last.driver, driver, "driver", text.where(i));
                continue;
            }
            String stripped = line.strip();
            if ((stripped.startsWith("Kernel modules:") || stripped.startsWith("Subsystem:")) && last != null) {
                text.consumed.set(i);
                continue;
            }
            if (header != null && LspciDescription.parse(line) != null) {
                text.consumed.set(i);
                last = device(text, i, header, line.strip(), asm, seenLines);
                continue;
            }
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                last = null; // something else: following detail lines are not this device's
            }
        }
    }

    /** {@code Kernel driver in use: xhci_hcd}: the one word after the colon, or null. */
    private static String driverInUse(String line) {
        String t = line.strip();
        String prefix = "Kernel driver in use:";
        if (!t.startsWith(prefix)) {
            return null;
        }
        String name = t.substring(prefix.length()).strip();
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i))) {
                return null;
            }
        }
        return name.isEmpty() ? null : name;
    }

    private static DeviceDraft device(ListingText text, int i, int group, String description,
                                      TopologyAssembler asm, Map<String, Integer> seenLines) throws ImportException {
        String where = text.where(i);
        LspciDescription d = LspciDescription.parse(description);
        if (d == null) {
            asm.note(where, "truncated or malformed line: no PCI address after the group number; skipped");
            return null;
        }
        Integer first = seenLines.putIfAbsent(group + " " + oneSpaced(description), i);
        if (first != null) {
            asm.note(where, "duplicate of line " + (first + 1) + "; skipped");
            return asm.existing(d.bdf());
        }
        DeviceDraft draft = asm.device(d.bdf(), where);
        fill(draft, d, group, where, asm);
        return draft;
    }

    /** Runs of white space as one space (in one pass). */
    static String oneSpaced(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && b.length() > 0) {
                b.append(' ');
            }
            space = false;
            b.append(c);
        }
        return space ? b.append(' ').toString() : b.toString();
    }

    /** Fills a draft from a description, noting what the line lacks. */
    static void fill(DeviceDraft draft, LspciDescription d, Integer group, String where, TopologyAssembler asm) {
        if (d.vendor() == null) {
            asm.note(where, d.bdf() + ": truncated line: no [vendor:device] IDs; kept without them");
        }
        if (d.pciClass() == null) {
            asm.note(where, d.bdf() + ": no [class] code: unknown class, kept as 000000");
        } else if (!LspciDescription.knownBaseClass(d.pciClass())) {
            asm.note(where, d.bdf() + String.format(": unknown class %04x; kept", d.pciClass() >> 8));
        }
        draft.group = asm.merge(draft, draft.group, group, "IOMMU group", where);
        draft.vendor = asm.merge(draft, draft.vendor, d.vendor(), "vendor", where);
        draft.device = asm.merge(draft, draft.device, d.device(), "device", where);
        draft.pciClass = asm.mergeClass(draft, d.pciClass(), where);
        draft.name = draft.name != null ? draft.name : d.name();
    }
}
