package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tree {@code lspci -t} draws ({@code -tv} adds names, {@code -tvnn} also {@code [vvvv:dddd]}), which is
 * where a listing gets its parents:
 * <pre>
 * -+-[0000:00]-+-00.0  Intel Corporation ...
 *  |           +-01.1-[01]--+-00.0  NVIDIA Corporation ...
 *  |           |            \-00.1  NVIDIA Corporation ...
 *  |           \-1c.0-[02-03]----00.0-[03]----00.0  ...
 *  \-[10000:e0]-+-17.0  ...
 * </pre>
 * A {@code [DDDD:BB]} marker opens a root bus; {@code DD.F-[SS]} or {@code DD.F-[SS-UU]} is a bridge whose
 * children sit on bus SS. A child's column in the drawing says which open branch it belongs to: the first
 * device after a marker or bridge fixes the column of that bus, and later lines with a device in the same
 * column continue it (pciutils {@code ls-tree.c}, {@code show_tree_dev()}).
 */
final class LspciTreeParser {
    private static final Pattern ROOT = Pattern.compile("\\[(?:([0-9a-fA-F]{4,5}):)?([0-9a-fA-F]{2})\\]");
    private static final Pattern DEVICE =
            Pattern.compile("([0-9a-fA-F]{2})\\.([0-7])(?:-\\[([0-9a-fA-F]{2})(?:-[0-9a-fA-F]{2})?\\])?");

    /** A bus that devices hang from: its domain and number, and the bridge above it (null: a root bus). */
    private record Bus(int domain, int number, String bridge) {
    }

    private LspciTreeParser() {
    }

    static boolean present(ListingText text) {
        return text.lines.stream().anyMatch(LspciTreeParser::isTreeLine);
    }

    /**
     * {@code ^[ |]*[-+\\]-*[+\\]?-*(?:\[DDDD:BB\]|DD\.F).*} in one pass: the drawing, then a bus marker or a
     * device (the pattern's neighbouring dash runs would take a backtracking matcher quadratic time).
     */
    static boolean isTreeLine(String line) {
        LineScanner s = new LineScanner(line);
        s.skipAll(" |");
        char c = s.peek();
        if (s.atEnd() || c != '-' && c != '+' && c != '\\') {
            return false;
        }
        s.skip(c);
        s.skipAll("-");
        if (!s.skip('+')) {
            s.skip('\\');
        }
        s.skipAll("-");
        int at = s.pos();
        if (s.skip('[')) {
            return s.hex(4, 5) >= 0 && s.skip(':') && s.hex(2, 2) >= 0 && s.skip(']');
        }
        s.moveTo(at);
        return s.hex(2, 2) >= 0 && s.skip('.') && s.peek() >= '0' && s.peek() <= '7' && !s.atEnd();
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        Map<Integer, Bus> columns = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            if (!isTreeLine(line)) {
                continue;
            }
            text.consumed.set(i);
            parseLine(line, i, text, asm, columns, seen);
        }
    }

    private static void parseLine(String line, int i, ListingText text, TopologyAssembler asm,
                                  Map<Integer, Bus> columns, Map<String, Integer> seen) throws ImportException {
        Bus opened = null; // the bus the previous token on this line opened
        int pos = 0;
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c == ' ' || c == '|' || c == '-' || c == '+' || c == '\\') {
                pos++;
                continue;
            }
            Matcher root = ROOT.matcher(line).region(pos, line.length());
            if (c == '[' && root.lookingAt()) {
                int domain = root.group(1) == null ? 0 : Integer.parseInt(root.group(1), 16);
                opened = new Bus(domain, Integer.parseInt(root.group(2), 16), null);
                pos = root.end();
                continue;
            }
            Matcher dev = DEVICE.matcher(line).region(pos, line.length());
            if (!dev.lookingAt()) {
                asm.note(text.where(i), "unexpected text in the tree at column " + (pos + 1) + "; rest of line skipped");
                return;
            }
            Bus bus = opened;
            if (bus != null) {
                columns.put(pos, bus);
            } else {
                bus = columns.get(pos);
            }
            if (bus == null) {
                asm.note(text.where(i), "device " + dev.group(1) + "." + dev.group(2) + " at column " + (pos + 1)
                        + " hangs from no bus drawn above (truncated tree?); line skipped");
                return;
            }
            Bdf bdf = Bdf.ofOrNull(bus.domain(), bus.number(), Integer.parseInt(dev.group(1), 16),
                    Integer.parseInt(dev.group(2)));
            if (bdf == null) {
                asm.note(text.where(i, pos + 1), dev.group() + ": slot out of range (00 to 1f); line skipped");
                return;
            }
            String rest = line.substring(dev.end());
            String name = rest.startsWith(" ") ? rest.strip() : null;
            add(bdf, bus, dev.group(3) != null, name, text, i, asm, seen);
            if (dev.group(3) != null) {
                opened = new Bus(bus.domain(), Integer.parseInt(dev.group(3), 16), bdf.toString());
            } else {
                opened = null;
            }
            if (name != null) {
                return;
            }
            pos = dev.end();
        }
    }

    private static void add(Bdf bdf, Bus bus, boolean bridge, String name, ListingText text, int i,
                            TopologyAssembler asm, Map<String, Integer> seen) throws ImportException {
        String where = text.where(i);
        Integer first = seen.putIfAbsent(bdf.toString(), i);
        if (first != null) {
            asm.note(where, bdf + " is drawn twice in the tree (first at line " + (first + 1) + "); skipped");
            return;
        }
        DeviceDraft d = asm.device(bdf, where);
        d.parent = asm.merge(d, d.parent, bus.bridge(), "parent", where);
        d.bridge |= bridge;
        if (name != null && !name.isEmpty()) {
            String withoutRevision = LspciDescription.withoutRevision(name);
            int ids = withoutRevision.length() - 11;
            if (ids >= 0 && LspciDescription.lastIdPair(withoutRevision) == ids) {
                d.vendor = asm.merge(d, d.vendor, Integer.parseInt(withoutRevision, ids + 1, ids + 5, 16), "vendor", where);
                d.device = asm.merge(d, d.device, Integer.parseInt(withoutRevision, ids + 6, ids + 10, 16), "device",
                        where);
                name = withoutRevision.substring(0, ids).strip();
            }
            d.label = d.label != null ? d.label : name;
        }
    }
}
