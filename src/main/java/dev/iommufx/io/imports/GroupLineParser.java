package dev.iommufx.io.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    /**
     * The Level1Techs variant of the loop prints this before a member whose {@code reset} file exists (some reset
     * method, not which).
     */
    private static final String RESET = "[RESET]";

    /** {@code IOMMU Group 12}, then an optional colon and the rest of the line; null when not a group line. */
    private record GroupLine(long number, boolean colon, int restAt, String rest) {
    }

    private GroupLineParser() {
    }

    /**
     * Reads {@code ^\s*`*IOMMU\s+Group\s+(-?\d+)\s*:?\s*(.*)$}, ignoring case, in one pass (a stray backquote is
     * inline-code markup gone wrong).
     */
    private static GroupLine groupLine(String line) {
        LineScanner s = new LineScanner(line);
        s.skipSpaces();
        s.skipAll("`");
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
        boolean resetColumn = text.lines.stream().anyMatch(l -> l.strip().startsWith(RESET));
        List<DeviceDraft> members = new ArrayList<>();
        boolean driverLines = false;
        Integer header = null;
        Boolean indented = null; // whether the members of the current header's block are indented
        DeviceDraft last = null;
        Map<String, Integer> seenLines = new HashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            GroupLine g = groupLine(line);
            if (g != null) {
                text.consumed.set(i);
                Integer group = g.number() <= Limits.GROUP_NUMBER && g.number() >= 0 ? (int) g.number() : null;
                header = null;
                indented = null;
                last = null;
                if (group == null) {
                    asm.note(text.where(i), "the group number is out of range (" + LineScanner.groupNumberExpected()
                            + "); line skipped");
                } else if (g.rest().isBlank()) {
                    header = group;
                } else {
                    last = member(device(text, i, group, g.rest().strip(), asm, seenLines), members);
                }
                continue;
            }
            String driver = driverInUse(line);
            String stripped = line.strip();
            if (driver != null && last != null) {
                text.consumed.set(i);
                asm.stateDriver(last, driver, text.where(i));
                driverLines = true;
                continue;
            }
            if ((stripped.startsWith("Kernel modules:") || stripped.startsWith("Subsystem:")) && last != null) {
                text.consumed.set(i);
                driverLines |= stripped.startsWith("Kernel modules:");
                continue;
            }
            if (header != null && !stripped.isEmpty()) {
                boolean reset = stripped.startsWith(RESET);
                String description = reset ? stripped.substring(RESET.length()).strip() : stripped;
                boolean lineIndented = reset || Character.isWhitespace(line.charAt(0));
                if (LspciDescription.parse(description) != null && (indented == null || indented == lineIndented)) {
                    text.consumed.set(i);
                    indented = lineIndented;
                    last = member(device(text, i, header, description, asm, seenLines), members);
                    if (last != null && resetColumn) {
                        asm.facts().resettable(last.id(), reset);
                    }
                    continue;
                }
            }
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                last = null; // something else: following detail lines are not this device's,
                header = null; // and the group's block has ended
            }
        }
        if (driverLines) { // printed with lspci -k: a member without "Kernel driver in use" has no driver
            for (DeviceDraft m : members) {
                if (!m.driverStated) {
                    asm.stateDriver(m, null, m.where);
                }
            }
        }
    }

    private static DeviceDraft member(DeviceDraft d, List<DeviceDraft> members) {
        if (d != null) {
            members.add(d);
        }
        return d;
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
            asm.note(where, d.bdf() + ": no class code or class name lspci prints: unknown class, kept as 000000");
        } else if (!LspciDescription.knownBaseClass(d.pciClass())) {
            asm.note(where, d.bdf() + String.format(": unknown class %04x; kept", d.pciClass() >> 8));
        }
        draft.group = asm.merge(draft, draft.group, group, "IOMMU group", where);
        draft.vendor = asm.merge(draft, draft.vendor, d.vendor(), "vendor", where);
        draft.device = asm.merge(draft, draft.device, d.device(), "device", where);
        draft.pciClass = asm.mergeClass(draft, d.pciClass(), where);
        draft.label = draft.label != null ? draft.label : d.name();
    }
}
