package dev.iommufx.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/** A bitmap drawn with Java2D, in headless AWT (no display): the image is {@code scale} pixels per layout unit. */
final class Java2dCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;
    private final Map<String, Font> fonts = new HashMap<>();

    Java2dCanvas(int width, int height, double scale) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(scale, scale);
    }

    BufferedImage finish() {
        g.dispose();
        return image;
    }

    @Override
    public void rect(double x, double y, double w, double h, double radius, String fill, String stroke,
                     double strokeWidth, boolean dashed) {
        RoundRectangle2D r = new RoundRectangle2D.Double(x, y, w, h, 2 * radius, 2 * radius);
        if (fill != null) {
            g.setColor(colour(fill));
            g.fill(r);
        }
        if (stroke != null) {
            g.setColor(colour(stroke));
            g.setStroke(stroke(strokeWidth, dashed));
            g.draw(r);
        }
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed) {
        g.setColor(colour(colour));
        g.setStroke(stroke(width, dashed));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void text(double x, double y, String text, double size, boolean bold, String colour) {
        g.setColor(colour(colour));
        g.setFont(font(size, bold));
        g.drawString(text, (float) x, (float) y);
    }

    @Override
    public double textWidth(String text, double size, boolean bold) {
        FontMetrics m = g.getFontMetrics(font(size, bold));
        return m.getStringBounds(text, g).getWidth();
    }

    private Font font(double size, boolean bold) {
        return fonts.computeIfAbsent(size + (bold ? "b" : ""),
                k -> new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size));
    }

    private static BasicStroke stroke(double width, boolean dashed) {
        return dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10,
                new float[] {7, 4}, 0) : new BasicStroke((float) width);
    }

    private static Color colour(String hex) {
        return new Color(Palette.rgb(hex));
    }
}
