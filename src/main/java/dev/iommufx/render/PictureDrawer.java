package dev.iommufx.render;

import dev.iommufx.engine.GroupState;
import dev.iommufx.io.Printable;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Block;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineLayout.Edge;
import dev.iommufx.layout.MachineLayout.Frame;
import dev.iommufx.layout.MachineLayout.Line;
import dev.iommufx.layout.MachineLayout.Tile;
import java.util.Locale;

/**
 * Draws a laid-out machine with its legend on a {@link Canvas}, the same for SVG and PNG: the legend band on top
 * (the machine, the kernel profile, the moment, and each group state's colour with its count), then the blocks,
 * frames, chain edges and group tiles of the layout.
 */
final class PictureDrawer {
    static final double LEGEND_H = 66;
    /** Wide enough for the legend's four states. */
    static final double MIN_WIDTH = 940;
    private static final String INK = "#1a1a1a";
    private static final String MUTED = "#555555";
    /** A host bridge's block, under its tiles. */
    private static final String BLOCK_FILL = "#ffffff";
    private static final double TEXT_PAD = 8;

    private final MachineLayout layout;
    private final Caption caption;
    private final Palette palette;
    private final Canvas canvas;
    /** The height above the machine: the legend's in a picture, none in the window (its tool bar has one). */
    private final double top;
    /** Each group's state now; the layout's own (the moment it was made) when null. */
    private final java.util.function.IntFunction<GroupState> stateNow;

    private PictureDrawer(MachineLayout layout, Caption caption, Palette palette, Canvas canvas, double top,
                          java.util.function.IntFunction<GroupState> stateNow) {
        this.layout = layout;
        this.caption = caption;
        this.palette = palette;
        this.canvas = canvas;
        this.top = top;
        this.stateNow = stateNow;
    }

    static double width(MachineLayout layout) {
        return Math.ceil(Math.max(layout.width(), MIN_WIDTH));
    }

    static double height(MachineLayout layout) {
        return Math.ceil(layout.height() + LEGEND_H);
    }

    static void draw(MachineLayout layout, Caption caption, Palette palette, Canvas canvas) {
        new PictureDrawer(layout, caption, palette, canvas, LEGEND_H, null).draw();
    }

    /**
     * The machine alone (no legend, origin at the layout's), each group coloured by its state now: what the
     * window's overview draws after every change without laying the machine out again.
     */
    static void drawMachine(MachineLayout layout, Palette palette, Canvas canvas,
                            java.util.function.IntFunction<GroupState> stateNow) {
        new PictureDrawer(layout, null, palette, canvas, 0, stateNow).machine();
    }

    /** "dma-api-owned", as the window's stylesheet names the state's pseudo-class. */
    static String cssName(GroupState s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void draw() {
        canvas.rect(0, 0, width(layout), height(layout), 0, "#fbfbfa", null, 0, false);
        legend();
        machine();
    }

    /** Draws these tiles again over what is drawn (the window, after their groups changed state). */
    static void drawTiles(MachineLayout layout, Palette palette, Canvas canvas,
                          java.util.function.IntFunction<GroupState> stateNow, java.util.Collection<Tile> tiles) {
        PictureDrawer d = new PictureDrawer(layout, null, palette, canvas, 0, stateNow);
        for (Tile t : tiles) {
            // the block's white under the tile first: each state has its own border width
            canvas.rect(t.rect().x() - 2, t.rect().y() - 2, t.rect().w() + 4, t.rect().h() + 4, 0, BLOCK_FILL, null, 0,
                    false);
            d.tile(t);
        }
    }

    private void machine() {
        for (Block b : layout.blocks()) {
            block(b);
        }
        for (Frame f : layout.frames()) {
            if (canvas.shows(f.rect().x(), y(f.rect().y()), f.rect().w(), f.rect().h())) {
                canvas.rect(f.rect().x(), y(f.rect().y()), f.rect().w(), f.rect().h(), 8, null, "#a8a8a8", 1, false);
            }
        }
        for (Edge e : layout.edges()) {
            edge(e);
        }
        for (Tile t : layout.tiles()) {
            tile(t);
        }
    }

    private double y(double layoutY) {
        return layoutY + top;
    }

    private GroupState state(int group, GroupState then) {
        GroupState now = stateNow == null ? null : stateNow.apply(group);
        return now == null ? then : now;
    }

    private void legend() {
        canvas.begin("legend", "legend");
        text(12, 20, caption.headline(), 13, true, INK, width(layout) - 24);
        double x = 12;
        for (GroupState s : GroupState.values()) {
            Palette.Look look = palette.of(s);
            canvas.begin("legend-" + cssName(s), "legend-swatch " + cssName(s));
            canvas.rect(x, 30, 26, 16, 4, look.fill(), look.border(), look.borderWidth(), look.dashed());
            String label = s.label() + " (" + code(s) + "): " + caption.counts().getOrDefault(s, 0);
            canvas.text(x + 32, 43, label, 11.5, false, INK); // our own words: nothing to escape
            canvas.end();
            x += 32 + canvas.textWidth(label, 11.5, false) + 22;
        }
        String note = "× N: identical sibling groups folded · \"n bridges\": a chain of bridge-only groups, one mark"
                + " per group" + (layout.ungrouped().isEmpty() ? ""
                : " · " + layout.ungrouped().size() + " device(s) without a group yet, not shown");
        text(12, 60, note, 10, false, MUTED, width(layout) - 24);
        canvas.end();
    }

    private static String code(GroupState s) {
        return switch (s) {
            case DEFAULT_DOMAIN -> "U0";
            case DMA_API_OWNED -> "K";
            case BLOCKED -> "UB";
            case USER_CLAIMED -> "UU";
        };
    }

    private void block(Block b) {
        if (!canvas.shows(b.rect().x(), y(b.rect().y()), b.rect().w(), b.rect().h())) {
            return;
        }
        canvas.rect(b.rect().x(), y(b.rect().y()), b.rect().w(), b.rect().h(), 10, BLOCK_FILL, "#7a7a7a", 1.2, false);
        text(b.rect().x() + TEXT_PAD, y(b.rect().y()) + 15, b.title() + "  · " + b.groups() + (b.groups() == 1 ? " group" : " groups"), 11, true,
                "#333333", b.rect().w() - 2 * TEXT_PAD);
    }

    private void edge(Edge e) {
        if (!canvas.shows(e.x() - 2, y(e.y1()), 240, e.y2() - e.y1())) {
            return;
        }
        canvas.line(e.x(), y(e.y1()), e.x(), y(e.y2()), "#6a6a6a", 1.5, false);
        double x = e.x() + 6;
        double baseline = y(e.y1()) + 13;
        text(x, baseline, e.label(), 10, false, MUTED, 110);
        x += Math.min(110, canvas.textWidth(e.label(), 10, false)) + 6;
        for (int i = 0; i < e.groups().size() && i < 8; i++) {
            Palette.Look look = palette.of(state(e.groups().get(i), e.states().get(i)));
            canvas.rect(x, y(e.y1()) + 5, 9, 9, 2, look.fill(), look.border(), 1, look.dashed());
            x += 12;
        }
        if (e.groups().size() > 8) {
            canvas.text(x, baseline, "+" + (e.groups().size() - 8), 10, false, MUTED);
        }
    }

    private void tile(Tile t) {
        if (!canvas.shows(t.rect().x(), y(t.rect().y()), t.rect().w(), t.rect().h())) {
            return;
        }
        GroupState state = state(t.group(), t.state());
        Palette.Look look = palette.of(state);
        double x = t.rect().x();
        double top = y(t.rect().y());
        double w = t.rect().w();
        canvas.begin("group-" + t.group(), "tile " + cssName(state));
        canvas.rect(x, top, w, t.rect().h(), 8, look.fill(), look.border(), look.borderWidth(), look.dashed());
        double textWidth = w - 2 * TEXT_PAD;
        text(x + TEXT_PAD, top + 15, t.title(), MachineLayout.FONT + 0.5, true, INK, textWidth);
        if (layout.detail() == Detail.OVERVIEW) {
            text(x + TEXT_PAD, top + 31, t.primary(), MachineLayout.FONT - 0.5, false, INK, textWidth);
        } else {
            double baseline = top + 22 + 11;
            for (Line l : t.lines()) {
                double indent = 10 * Math.min(l.indent(), 12);
                text(x + TEXT_PAD + indent, baseline, l.text(), MachineLayout.FONT - 1, false,
                        l.kind() == MachineLayout.LineKind.DEVICE ? INK : MUTED, textWidth - indent);
                baseline += 15;
            }
        }
        canvas.end();
    }

    /** Draws text cut with "…" to fit the width. */
    private void text(double x, double y, String s, double size, boolean bold, String colour, double maxWidth) {
        canvas.text(x, y, fit(Printable.of(s), size, bold, maxWidth), size, bold, colour);
    }

    private String fit(String s, double size, boolean bold, double maxWidth) {
        if (canvas.textWidth(s, size, bold) <= maxWidth) {
            return s;
        }
        int lo = 0;
        int hi = s.length();
        while (lo < hi) { // the longest prefix that fits with the ellipsis
            int mid = (lo + hi + 1) / 2;
            if (canvas.textWidth(s.substring(0, mid) + "…", size, bold) <= maxWidth) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo > 0 && Character.isHighSurrogate(s.charAt(lo - 1))) {
            lo--;
        }
        return s.substring(0, lo) + "…";
    }
}
