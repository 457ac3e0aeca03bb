package dev.iommufx.render;

/**
 * What a picture is drawn on: an SVG document, a Java2D image, or the window's overview. Coordinates are layout units; colours
 * {@code #rrggbb} or null for none. Text arrives with its control characters made visible
 * ({@code Printable}); each canvas escapes what its own format needs.
 */
public interface Canvas {
    void rect(double x, double y, double w, double h, double radius, String fill, String stroke, double strokeWidth,
              boolean dashed);

    void line(double x1, double y1, double x2, double y2, String colour, double width, boolean dashed);

    /** Text with its baseline at y. */
    void text(double x, double y, String text, double size, boolean bold, String colour);

    /** How wide the text is drawn, in layout units. */
    double textWidth(String text, double size, boolean bold);

    /** Starts a named group of shapes (an SVG {@code <g>}); a bitmap ignores it. */
    default void begin(String id, String cssClass) {
    }

    /** Ends the group {@link #begin} started. */
    default void end() {
    }

    /**
     * Whether anything drawn in this rectangle would be seen: a window showing part of a large machine skips the
     * rest (and the measuring of its text); a picture draws everything.
     */
    default boolean shows(double x, double y, double w, double h) {
        return true;
    }
}
