package dev.iommufx.layout;

import dev.iommufx.layout.MachineLayout.Line;
import dev.iommufx.layout.MachineLayout.LineKind;
import dev.iommufx.layout.MachineSnapshot.Function;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a group's tile says: its most important member, and in a card one line per member, indented as the
 * members hang below each other, with runs of single-child bridges collapsed into one line ("3 bridges") and
 * identical sibling devices (same vendor:device and driver, no members below) folded into one ("× 16").
 */
final class Cards {
    /** A line, and the group's members that hang below what it shows. */
    private record Entry(Line line, List<Function> below) {
    }

    private Cards() {
    }

    /** "01:00.0  GV100 [Tesla V100 SXM3 32GB]  · nvidia" of the member a user looks for first. */
    static String primary(GroupForest.Node n, GroupForest f) {
        Function best = n.members.stream()
                .min(Comparator.comparingInt((Function fn) -> rank(fn.pciClass(), fn.bridge())).thenComparingInt(f::orderOf))
                .orElseThrow();
        return describe(best);
    }

    /**
     * Display and 3D controllers, accelerators and co-processors first, then network, storage, multimedia,
     * serial bus (USB), everything else, and bridges last.
     */
    static int rank(int pciClass, boolean bridge) {
        if (bridge) {
            return 9;
        }
        return switch (pciClass >> 16) {
            case 0x03, 0x12, 0x0b -> 0;
            case 0x02 -> 1;
            case 0x01 -> 2;
            case 0x04 -> 3;
            case 0x0c -> 4;
            case 0x06 -> 8;
            default -> 5;
        };
    }

    /** Address without the 0000 domain, the name (or the IDs), the driver. */
    static String describe(Function fn) {
        String name = fn.label().equals(fn.id()) ? "[" + fn.vendorDevice() + "]" : fn.label();
        String driver = fn.driver() == null ? "no driver"
                : dev.iommufx.model.DriverSpec.isUnknown(fn.driver()) ? "driver unknown" : fn.driver();
        return shortId(fn.id()) + "  " + name + "  · " + driver;
    }

    static String shortId(String id) {
        return id.startsWith("0000:") && id.length() == 12 ? id.substring(5) : id;
    }

    /** One line per member (or run, or fold), in pre-order of the group's own tree. */
    static List<Line> lines(GroupForest.Node n, GroupForest f, int foldAtLeast) {
        Set<String> in = new HashSet<>();
        n.members.forEach(m -> in.add(m.id()));
        List<Function> tops = new ArrayList<>();
        for (Function m : n.members) {
            Function p = f.parentOf(m);
            if (p == null || !in.contains(p.id())) {
                tops.add(m);
            }
        }
        List<Line> out = new ArrayList<>();
        Deque<Entry> work = new ArrayDeque<>(); // depth-first without recursion: a long bridge path cannot overflow
        pushSiblings(work, tops, 0, in, f, foldAtLeast);
        while (!work.isEmpty()) {
            Entry e = work.pop();
            out.add(e.line());
            if (!e.below().isEmpty()) {
                pushSiblings(work, e.below(), e.line().indent() + 1, in, f, foldAtLeast);
            }
        }
        return out;
    }

    /** Pushes one sibling list's lines (with what hangs below each) so that they pop in order. */
    private static void pushSiblings(Deque<Entry> work, List<Function> siblings, int indent, Set<String> in,
                                     GroupForest f, int foldAtLeast) {
        Map<String, List<Function>> identicalLeaves = new LinkedHashMap<>();
        for (Function s : siblings) {
            if (inGroup(f.children(s), in).isEmpty()) {
                identicalLeaves.computeIfAbsent(s.vendorDevice() + " " + s.driver() + " " + s.bridge(),
                        k -> new ArrayList<>()).add(s);
            }
        }
        List<Entry> lines = new ArrayList<>();
        Set<String> folded = new HashSet<>();
        for (Function s : siblings) {
            if (folded.contains(s.id())) {
                continue;
            }
            List<Function> same = identicalLeaves.get(s.vendorDevice() + " " + s.driver() + " " + s.bridge());
            if (same != null && same.size() >= foldAtLeast && same.get(0) == s) {
                same.forEach(x -> folded.add(x.id()));
                lines.add(new Entry(new Line(indent, LineKind.FOLDED, same.size(), "× " + same.size() + "  "
                        + describe(s), s.id()), List.of()));
                continue;
            }
            lines.add(run(s, indent, in, f));
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            work.push(lines.get(i));
        }
    }

    /** A device's line, or a run of bridges each with one bridge below it collapsed into one line. */
    private static Entry run(Function s, int indent, Set<String> in, GroupForest f) {
        Function last = s;
        int bridges = 1;
        while (last.bridge()) {
            List<Function> below = inGroup(f.children(last), in);
            if (below.size() != 1 || !below.get(0).bridge()) {
                break;
            }
            last = below.get(0);
            bridges++;
        }
        List<Function> below = inGroup(f.children(last), in);
        if (bridges >= 2) {
            return new Entry(new Line(indent, LineKind.BRIDGES, bridges, bridges + " bridges  " + shortId(s.id())
                    + " → " + shortId(last.id()), null), below);
        }
        return new Entry(new Line(indent, LineKind.DEVICE, 1, describe(s), s.id()), below);
    }

    private static List<Function> inGroup(List<Function> children, Set<String> in) {
        List<Function> out = new ArrayList<>();
        for (Function c : children) {
            if (in.contains(c.id())) {
                out.add(c);
            }
        }
        return out;
    }
}
