package dev.iommufx.ui.graph;

import dev.iommufx.render.Canvas;
import java.util.HashMap;
import java.util.Map;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/** The pictures' canvas drawn on a JavaFX canvas: the overview uses the very drawing the exported pictures do. */
final class FxCanvas implements Canvas {
    private final GraphicsContext g;
    private final Map<String, Font> fonts = new HashMap<>();
    private final Map<String, Color> colours = new HashMap<>();
    /** Widths measured once per text, size and weight: titles are fitted with "…" at every redraw. */
    private final Map<String, Double> widths = new HashMap<>();
    private final Text measure = new Text();
    /** Pixels per layout unit, and the part of the layout in view: text too small to read is not drawn. */
    private double scale = 1;
    private double minX;
    private double minY;
    private double maxX = Double.MAX_VALUE;
    private double maxY = Double.MAX_VALUE;
    /** Text drawn smaller than this many pixels is a smudge: neither measured nor drawn. */
    private static final double LEGIBLE_PX = 3.5;

    FxCanvas(GraphicsContext g) {
        this.g = g;
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BASELINE);
    }

    /** The scale and the layout's visible rectangle of the drawing to come. */
    void view(double pixelsPerUnit, double x, double y, double w, double h) {
        scale = pixelsPerUnit;
        minX = x;
        minY = y;
        maxX = x + w;
        maxY = y + h;
    }

    @Override
    public boolean shows(double x, double y, double w, double h) {
        return x <= maxX && y <= maxY && x + w >= minX && y + h >= minY;
    }

    @Override
    public void rect(double x, double y, double w, double h, double radius, String fill, String stroke,
                     double strokeWidth, boolean dashed) {
        if (fill != null) {
            g.setFill(colour(fill));
            g.fillRoundRect(x, y, w, h, 2 * radius, 2 * radius);
        }
        if (stroke != null) {
            g.setStroke(colour(stroke));
            g.setLineWidth(strokeWidth);
            g.setLineDashes(dashed ? new double[] {7, 4} : null);
            g.strokeRoundRect(x, y, w, h, 2 * radius, 2 * radius);
        }
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed) {
        g.setStroke(colour(colour));
        g.setLineWidth(width);
        g.setLineDashes(dashed ? new double[] {7, 4} : null);
        g.strokeLine(x1, y1, x2, y2);
    }

    @Override
    public void text(double x, double y, String text, double size, boolean bold, String colour) {
        if (size * scale < LEGIBLE_PX) {
            return;
        }
        g.setFill(colour(colour));
        g.setFont(font(size, bold));
        g.fillText(text, x, y);
    }

    @Override
    public double textWidth(String text, double size, boolean bold) {
        if (size * scale < LEGIBLE_PX) {
            return text.length() * size * 0.55; // not drawn: an estimate keeps the fitting cheap
        }
        String key = size + (bold ? "b" : "n") + text;
        Double w = widths.get(key);
        if (w == null) {
            measure.setFont(font(size, bold));
            measure.setText(text);
            w = measure.getLayoutBounds().getWidth();
            if (widths.size() > 200_000) {
                widths.clear(); // a bound: a machine's texts are far fewer
            }
            widths.put(key, w);
        }
        return w;
    }

    private Font font(double size, boolean bold) {
        return fonts.computeIfAbsent(size + (bold ? "b" : ""),
                k -> Font.font("System", bold ? FontWeight.BOLD : FontWeight.NORMAL, size));
    }

    private Color colour(String hex) {
        return colours.computeIfAbsent(hex, Color::web);
    }
}
