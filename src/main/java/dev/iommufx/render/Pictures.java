package dev.iommufx.render;

import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.layout.StructuralLayout;
import java.awt.image.BufferedImage;

/**
 * Pictures of a machine to share: SVG (text, sharp at any zoom) and PNG (drawn with Java2D, headless). Both have
 * the legend, with the group states in the window's colours and the kernel profile named.
 *
 * <p>A PNG is drawn at {@value #LEGIBLE_SCALE} pixels per layout unit, where a tile's 11-unit text is 14 px,
 * unless that would pass {@value #MAX_PIXELS} pixels or {@value #MAX_SIDE} on a side (64 MB of image memory):
 * then it is drawn smaller, and {@link Png#capped()} says so.
 */
public final class Pictures {
    public static final double LEGIBLE_SCALE = 1.25;
    public static final long MAX_PIXELS = 16_000_000;
    public static final int MAX_SIDE = 8192;

    /** A drawn PNG: the image, how many pixels a layout unit became, and whether the size cap made it smaller. */
    public record Png(BufferedImage image, double scale, boolean capped) {
    }

    private Pictures() {
    }

    /**
     * The machine laid out for a picture at 16:10: as cards when the cards fit the PNG cap at full legibility,
     * else as overview tiles.
     */
    public static MachineLayout layout(MachineSnapshot machine) {
        MachineLayout cards = StructuralLayout.compute(machine, StructuralLayout.Options.of(Detail.CARDS));
        if (scale(cards) >= LEGIBLE_SCALE) {
            return cards;
        }
        return StructuralLayout.compute(machine, StructuralLayout.Options.of(Detail.OVERVIEW));
    }

    /** Draws the machine without the legend on a canvas, each group in its state now (null: as laid out). */
    public static void drawMachine(MachineLayout layout, Palette palette, Canvas canvas,
                                   java.util.function.IntFunction<dev.iommufx.engine.GroupState> stateNow) {
        PictureDrawer.drawMachine(layout, palette, canvas, stateNow);
    }

    /** Draws these tiles again over the machine drawn by {@link #drawMachine}, in their groups' states now. */
    public static void drawTiles(MachineLayout layout, Palette palette, Canvas canvas,
                                 java.util.function.IntFunction<dev.iommufx.engine.GroupState> stateNow,
                                 java.util.Collection<MachineLayout.Tile> tiles) {
        PictureDrawer.drawTiles(layout, palette, canvas, stateNow, tiles);
    }

    public static String svg(MachineLayout layout, Caption caption, Palette palette) {
        SvgCanvas svg = new SvgCanvas(PictureDrawer.width(layout), PictureDrawer.height(layout), caption.headline());
        PictureDrawer.draw(layout, caption, palette, svg);
        return svg.finish();
    }

    public static Png png(MachineLayout layout, Caption caption, Palette palette) {
        double scale = scale(layout);
        int w = (int) (PictureDrawer.width(layout) * scale); // rounded down: the picture's edge is blank margin
        int h = (int) (PictureDrawer.height(layout) * scale);
        Java2dCanvas canvas = new Java2dCanvas(w, h, scale);
        PictureDrawer.draw(layout, caption, palette, canvas);
        return new Png(canvas.finish(), scale, scale < LEGIBLE_SCALE);
    }

    /** Pixels per layout unit: legible, or as much as the cap allows. */
    static double scale(MachineLayout layout) {
        double w = PictureDrawer.width(layout);
        double h = PictureDrawer.height(layout);
        double s = Math.min(LEGIBLE_SCALE, Math.sqrt(MAX_PIXELS / (w * h)));
        return Math.min(s, Math.min((MAX_SIDE - 1) / w, (MAX_SIDE - 1) / h));
    }
}
