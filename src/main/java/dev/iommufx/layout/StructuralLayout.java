package dev.iommufx.layout;

import dev.iommufx.engine.GroupState;
import dev.iommufx.layout.MachineLayout.Block;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineLayout.Edge;
import dev.iommufx.layout.MachineLayout.Frame;
import dev.iommufx.layout.MachineLayout.Line;
import dev.iommufx.layout.MachineLayout.Rect;
import dev.iommufx.layout.MachineLayout.Tile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a machine out by its structure, the way {@code lstopo} draws one: a block per PCI host bridge (root bus),
 * the blocks packed in rows to fill a wanted aspect ratio; in each block the groups of its root bus packed in a
 * grid; a group with groups below it framed around their tiles, packed the same way; a chain of bridge-only
 * groups that each lead to one group collapsed into one edge with a count; identical sibling groups (same
 * members by vendor:device and driver, same state, nothing below: 16 GPUs, the VFs of a NIC) folded into one tile
 * with a count. Depends on the tree and the group states only; no JavaFX, any thread.
 *
 * <p>Time O(n) in the devices and groups (each group's tile, frame and packing is computed once, the packings
 * with a fixed number of row widths); no recursion, so any depth of bridges fits the stack.
 */
public final class StructuralLayout {
    static final double OVERVIEW_W = 170;
    static final double OVERVIEW_H = 40;
    static final double CARD_W = 320;
    static final double CARD_HEADER = 22;
    static final double LINE_H = 15;
    static final double CHAIN_H = 18;
    static final double INDENT = 14;
    static final double PAD = 6;
    static final double GAP = 8;
    static final double BLOCK_TITLE = 22;
    static final double BLOCK_GAP = 16;
    static final double MARGIN = 12;

    /**
     * @param aspect      the wanted width / height of the whole drawing (the window's, or 16:10 for a picture)
     * @param detail      tiles as short labels or as full cards
     * @param foldAtLeast identical siblings are folded when there are at least this many (Integer.MAX_VALUE: never)
     */
    public record Options(double aspect, Detail detail, int foldAtLeast) {
        public Options {
            if (!(aspect > 0) || Double.isInfinite(aspect)) {
                throw new IllegalArgumentException("aspect ratio must be positive and finite, not " + aspect);
            }
            if (foldAtLeast < 2) {
                throw new IllegalArgumentException("folding needs at least 2 siblings, not " + foldAtLeast);
            }
        }

        /** 16:10, the given detail, folding four or more identical siblings. */
        public static Options of(Detail detail) {
            return new Options(1.6, detail, 4);
        }
    }

    /** A group (after its chain of bridge-only groups, if any) and what hangs below it, with its packed size. */
    private static final class Unit {
        final List<GroupForest.Node> chain;
        final GroupForest.Node node;
        final List<Unit> children = new ArrayList<>();
        int count = 1;
        List<Integer> folded;
        int signature;
        double w;
        double h;
        double tileH;
        List<Line> lines = List.of();
        ShelfPacker.Packing packing;

        Unit(List<GroupForest.Node> chain, GroupForest.Node node) {
            this.chain = chain;
            this.node = node;
        }

        double chainH() {
            return chain.isEmpty() ? 0 : CHAIN_H;
        }
    }

    private final GroupForest forest;
    private final Options options;
    private final Map<String, Integer> signatures = new HashMap<>();

    private StructuralLayout(GroupForest forest, Options options) {
        this.forest = forest;
        this.options = options;
    }

    public static MachineLayout compute(MachineSnapshot machine, Options options) {
        return new StructuralLayout(GroupForest.of(machine), options).run();
    }

    private MachineLayout run() {
        Map<String, List<Unit>> blocks = new LinkedHashMap<>();
        List<Unit> all = new ArrayList<>(); // parents before children
        for (Map.Entry<String, List<GroupForest.Node>> root : forest.roots.entrySet()) {
            blocks.put(root.getKey(), units(root.getValue(), all));
        }
        for (int i = 0; i < all.size(); i++) {
            Unit u = all.get(i);
            u.children.addAll(units(u.node.children, all));
        }
        for (int i = all.size() - 1; i >= 0; i--) { // children before parents
            Unit u = all.get(i);
            fold(u.children);
            u.signature = signature(u);
            size(u);
        }
        blocks.values().forEach(this::fold);
        return place(blocks);
    }

    /** Units for a list of sibling groups: each one's chain of bridge-only, single-child groups collapsed. */
    private List<Unit> units(List<GroupForest.Node> siblings, List<Unit> all) {
        List<Unit> out = new ArrayList<>(siblings.size());
        for (GroupForest.Node n : siblings) {
            List<GroupForest.Node> chain = new ArrayList<>();
            GroupForest.Node cur = n;
            while (cur.bridgesOnly() && cur.children.size() == 1) {
                chain.add(cur);
                cur = cur.children.get(0);
            }
            Unit u = new Unit(chain, cur);
            out.add(u);
            all.add(u);
        }
        return out;
    }

    /** Same members (vendor:device, driver, bridge), same state, same chain and same units below: same number. */
    private int signature(Unit u) {
        StringBuilder b = new StringBuilder().append(u.node.state).append('|');
        u.node.members.stream().map(m -> m.vendorDevice() + "/" + m.driver() + "/" + m.bridge()).sorted()
                .forEach(s -> b.append(s).append(','));
        b.append('|');
        for (GroupForest.Node c : u.chain) {
            b.append(c.state).append(c.members.size()).append(',');
        }
        b.append('|');
        u.children.forEach(c -> b.append(c.signature).append('x').append(c.count).append(','));
        return signatures.computeIfAbsent(b.toString(), k -> signatures.size());
    }

    /** Folds identical sibling units that have nothing below them, when there are enough of them. */
    private void fold(List<Unit> siblings) {
        Map<Integer, List<Unit>> same = new LinkedHashMap<>();
        for (Unit u : siblings) {
            if (u.children.isEmpty()) {
                same.computeIfAbsent(u.signature, k -> new ArrayList<>()).add(u);
            }
        }
        for (List<Unit> run : same.values()) {
            if (run.size() < options.foldAtLeast()) {
                continue;
            }
            Unit first = run.get(0);
            first.count = run.size();
            first.folded = new ArrayList<>();
            for (Unit u : run) {
                u.chain.forEach(c -> first.folded.add(c.id));
                first.folded.add(u.node.id);
            }
            siblings.removeAll(run.subList(1, run.size()));
            size(first);
        }
    }

    private double tileW() {
        return options.detail() == Detail.CARDS ? CARD_W : OVERVIEW_W;
    }

    private void size(Unit u) {
        boolean folded = u.count > 1;
        if (options.detail() == Detail.CARDS && u.lines.isEmpty()) {
            u.lines = Cards.lines(u.node, forest, options.foldAtLeast());
        }
        u.tileH = options.detail() == Detail.CARDS ? CARD_HEADER + LINE_H * u.lines.size() + PAD : OVERVIEW_H;
        double chainH = folded ? 0 : u.chainH();
        if (u.children.isEmpty()) {
            u.w = tileW();
            u.h = chainH + u.tileH;
            return;
        }
        double[] w = new double[u.children.size()];
        double[] h = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = u.children.get(i).w;
            h[i] = u.children.get(i).h;
        }
        u.packing = ShelfPacker.pack(w, h, options.aspect(), GAP);
        u.w = Math.max(tileW(), INDENT + u.packing.width() + PAD);
        u.h = chainH + u.tileH + GAP + u.packing.height() + PAD;
    }

    /** Packs the blocks, then writes every record at its absolute place, parents before children. */
    private MachineLayout place(Map<String, List<Unit>> blocks) {
        List<String> roots = new ArrayList<>(blocks.keySet());
        List<ShelfPacker.Packing> inside = new ArrayList<>();
        double[] bw = new double[roots.size()];
        double[] bh = new double[roots.size()];
        for (int i = 0; i < roots.size(); i++) {
            List<Unit> us = blocks.get(roots.get(i));
            double[] w = us.stream().mapToDouble(u -> u.w).toArray();
            double[] h = us.stream().mapToDouble(u -> u.h).toArray();
            ShelfPacker.Packing p = ShelfPacker.pack(w, h, options.aspect(), GAP);
            inside.add(p);
            bw[i] = Math.max(tileW(), p.width() + 2 * PAD);
            bh[i] = BLOCK_TITLE + p.height() + PAD;
        }
        ShelfPacker.Packing machine = ShelfPacker.pack(bw, bh, options.aspect(), BLOCK_GAP);
        Records out = new Records();
        for (int i = 0; i < roots.size(); i++) {
            double x = MARGIN + machine.x()[i];
            double y = MARGIN + machine.y()[i];
            List<Unit> us = blocks.get(roots.get(i));
            out.blocks.add(new Block(new Rect(x, y, bw[i], bh[i]), blockTitle(roots.get(i)), roots.get(i),
                    groupsIn(us)));
            for (int j = 0; j < us.size(); j++) {
                emit(us.get(j), x + PAD + inside.get(i).x()[j], y + BLOCK_TITLE + inside.get(i).y()[j], out);
            }
        }
        return new MachineLayout(machine.width() + 2 * MARGIN, machine.height() + 2 * MARGIN, options.detail(),
                out.blocks, out.frames, out.edges, out.tiles, forest.ungrouped);
    }

    private static final class Records {
        final List<Block> blocks = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();
        final List<Edge> edges = new ArrayList<>();
        final List<Tile> tiles = new ArrayList<>();
    }

    /** Writes a unit and everything below it, iteratively (parents first). */
    private void emit(Unit top, double topX, double topY, Records out) {
        record At(Unit unit, double x, double y) {
        }
        List<At> work = new ArrayList<>();
        work.add(new At(top, topX, topY));
        while (!work.isEmpty()) {
            At at = work.remove(work.size() - 1);
            Unit u = at.unit();
            double x = at.x();
            double y = at.y();
            boolean folded = u.count > 1;
            if (!folded && !u.chain.isEmpty()) {
                out.edges.add(chainEdge(u, x, y));
            }
            double tileY = y + (folded ? 0 : u.chainH());
            if (!u.children.isEmpty()) {
                out.frames.add(new Frame(new Rect(x, tileY, u.w, u.h - (tileY - y)), u.node.id));
                for (int i = u.children.size() - 1; i >= 0; i--) {
                    work.add(new At(u.children.get(i), x + INDENT + u.packing.x()[i],
                            tileY + u.tileH + GAP + u.packing.y()[i]));
                }
            }
            out.tiles.add(tile(u, new Rect(x, tileY, tileW(), u.tileH)));
        }
    }

    private Edge chainEdge(Unit u, double x, double y) {
        int bridges = u.chain.stream().mapToInt(c -> c.members.size()).sum();
        String label = bridges == 1 ? "via " + Cards.shortId(u.chain.get(0).members.get(0).id()) : bridges + " bridges";
        List<Integer> groups = u.chain.stream().map(c -> c.id).toList();
        List<GroupState> states = u.chain.stream().map(c -> c.state).toList();
        return new Edge(x + INDENT, y, y + CHAIN_H, bridges, label, groups, states);
    }

    private Tile tile(Unit u, Rect r) {
        List<Integer> groups = u.folded != null ? u.folded : List.of(u.node.id);
        String title;
        if (u.count > 1) {
            title = u.count + " × group " + u.node.id + " … " + groups.get(groups.size() - 1);
        } else {
            int n = u.node.members.size();
            title = "Group " + u.node.id + (n > 1 ? "  (" + n + " devices)" : "");
        }
        return new Tile(r, u.node.id, u.node.state, u.count, groups, title, Cards.primary(u.node, forest),
                u.node.members.size(), u.lines);
    }

    private static String blockTitle(String root) {
        return root.startsWith("pci") ? "PCI " + root.substring(3) : "platform devices";
    }

    private static int groupsIn(List<Unit> top) {
        int n = 0;
        List<Unit> work = new ArrayList<>(top);
        while (!work.isEmpty()) {
            Unit u = work.remove(work.size() - 1);
            n += (u.folded != null ? u.folded.size() : 1 + u.chain.size());
            work.addAll(u.children);
        }
        return n;
    }
}
