package dev.iommufx.ui.panels;

import javafx.scene.shape.SVGPath;

/**
 * The player's symbols as shapes (12 × 12 units) instead of characters: "▶" and "⏸" come from whatever font the
 * machine has, and a desktop without one shows empty boxes on the buttons.
 */
final class Glyphs {
    static final String PLAY = "M2 1 L11 6 L2 11 Z";
    static final String PAUSE = "M2 1 H5 V11 H2 Z M7 1 H10 V11 H7 Z";
    static final String BACK = "M10 1 L1 6 L10 11 Z";
    static final String FORWARD = "M0 1 L6 6 L0 11 Z M6 1 L12 6 L6 11 Z";
    static final String HOME = "M1 1 H3 V11 H1 Z M12 1 L3 6 L12 11 Z";
    static final String END = "M0 1 L9 6 L0 11 Z M9 1 H11 V11 H9 Z";

    private Glyphs() {
    }

    /** A new node of the shape (a node has one parent, so each button gets its own). */
    static SVGPath shape(String path) {
        SVGPath s = new SVGPath();
        s.setContent(path);
        s.getStyleClass().add("player-glyph");
        return s;
    }
}
