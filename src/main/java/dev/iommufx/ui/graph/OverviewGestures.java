package dev.iommufx.ui.graph;

import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/** The overview's mouse: drag pans, the wheel zooms, a click (not a drag) selects, opens or shows the menu. */
final class OverviewGestures {
    private final OverviewView view;

    OverviewGestures(OverviewView view) {
        this.view = view;
    }

    void install() {
        view.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            view.requestFocus();
            view.pressed(e.getX(), e.getY());
        });
        view.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> view.dragged(e.getX(), e.getY()));
        view.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (!view.wasDragged()) {
                view.click(e.getX(), e.getY(), e.getClickCount(), e.getButton());
            }
        });
        view.addEventHandler(ScrollEvent.SCROLL, e -> {
            view.scrolled(e);
            e.consume();
        });
    }
}
