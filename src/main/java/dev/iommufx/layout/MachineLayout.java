package dev.iommufx.layout;

import dev.iommufx.engine.GroupState;
import java.util.List;

/**
 * A machine laid out by its structure, as plain records a renderer or the window draws in this order: blocks,
 * frames, edges, tiles. Coordinates are in layout units (a tile's text is {@link #FONT} units high, so one unit
 * is one pixel at the scale where labels are comfortably legible); the origin is the top left corner.
 *
 * @param width      the whole drawing's width
 * @param height     the whole drawing's height
 * @param detail     what the tiles hold: a short label, or a full card
 * @param blocks     one per PCI host bridge (root bus) and one for the devices on other buses
 * @param frames     the outline around a group that has groups below it, holding its tile and theirs
 * @param edges      chains of bridge-only groups, each collapsed into one edge with a count
 * @param tiles      the groups: every group of the machine is in exactly one tile's or one edge's {@code groups}
 * @param ungrouped  devices without a group yet, which no tile shows
 */
public record MachineLayout(double width, double height, Detail detail, List<Block> blocks, List<Frame> frames,
                            List<Edge> edges, List<Tile> tiles, List<String> ungrouped) {

    /** The size of a tile's text, in layout units; titles are drawn one unit larger and bold. */
    public static final double FONT = 11;

    public MachineLayout {
        blocks = List.copyOf(blocks);
        frames = List.copyOf(frames);
        edges = List.copyOf(edges);
        tiles = List.copyOf(tiles);
        ungrouped = List.copyOf(ungrouped);
    }

    /** The level of detail of the tiles: the window shows OVERVIEW at Fit and CARDS once it is zoomed in. */
    public enum Detail {
        /** A small box per group: its state colour, number and most important member. */
        OVERVIEW,
        /** A card per group with one line per member (bridge chains and identical siblings folded). */
        CARDS
    }

    /** An axis-parallel rectangle. */
    public record Rect(double x, double y, double w, double h) {
        public double right() {
            return x + w;
        }

        public double bottom() {
            return y + h;
        }

        public boolean contains(Rect r) {
            return r.x >= x && r.y >= y && r.right() <= right() && r.bottom() <= bottom();
        }

        public boolean overlaps(Rect r) {
            return r.x < right() && x < r.right() && r.y < bottom() && y < r.bottom();
        }
    }

    /**
     * A host bridge's root bus ({@code pci0000:00}) or the devices on other buses.
     *
     * @param title    "PCI 0000:00" or "platform devices"
     * @param root     the root's sysfs name ({@code pci0000:00}, {@code platform})
     * @param groups   how many groups the block holds
     */
    public record Block(Rect rect, String title, String root, int groups) {
    }

    /** The outline around the group {@code group} and the groups below it. */
    public record Frame(Rect rect, int group) {
    }

    /**
     * A chain of bridge-only groups, each with exactly one group below it, drawn as one vertical edge from
     * (x, y1) down to (x, y2), the top of the tile it leads to.
     *
     * @param bridges how many bridges the chain has
     * @param label   "via 00:01.0" for one bridge, "3 bridges" for more
     * @param groups  the chain's groups, top to bottom
     * @param states  their states, in the same order (drawn as small marks along the edge)
     */
    public record Edge(double x, double y1, double y2, int bridges, String label, List<Integer> groups,
                       List<GroupState> states) {
        public Edge {
            groups = List.copyOf(groups);
            states = List.copyOf(states);
        }
    }

    /**
     * One group, or several identical sibling groups folded into one tile.
     *
     * @param group   the group number (the first of the folded ones)
     * @param state   its state (folded groups are folded only when they all have it)
     * @param count   1, or how many identical sibling groups the tile stands for
     * @param groups  every group the tile stands for, with the groups of folded chains above them
     * @param title   "Group 12", or "16 × group 12 … 27"
     * @param primary the most important member: its address, name and driver
     * @param members how many devices the group has (of one of the folded groups)
     * @param lines   in {@link Detail#CARDS}, one line per member or per folded run; empty in OVERVIEW
     */
    public record Tile(Rect rect, int group, GroupState state, int count, List<Integer> groups, String title,
                       String primary, int members, List<Line> lines) {
        public Tile {
            groups = List.copyOf(groups);
            lines = List.copyOf(lines);
        }
    }

    /**
     * A line of a card.
     *
     * @param indent how deep below the group's top member
     * @param kind   what it stands for
     * @param count  1, or how many bridges or identical devices it folds
     * @param text   "01:00.0  GV100 [Tesla V100 SXM3]  nvidia", "3 bridges", "× 16 01:00.0 … Virtual Function"
     * @param device the device's id (the first folded one), or null for a bridge run
     */
    public record Line(int indent, LineKind kind, int count, String text, String device) {
    }

    public enum LineKind {
        DEVICE, BRIDGES, FOLDED
    }
}
