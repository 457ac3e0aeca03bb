package dev.iommufx.ui.graph;

import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/** Zoom, pan and fit-to-window of the drawing inside its clipped view. */
public final class ViewportControl {
    private static final double MIN = 0.05;
    private static final double MAX = 4;
    private final Region view;
    private final Pane content;
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Translate translate = new Translate();

    ViewportControl(Region view, Pane content) {
        this.view = view;
        this.content = content;
        content.getTransforms().addAll(translate, scale);
    }

    public double zoom() {
        return scale.getX();
    }

    /** Zooms by a factor around a point of the view (the mouse, or the centre). */
    public void zoomBy(double factor, double viewX, double viewY) {
        double next = Math.max(MIN, Math.min(MAX, zoom() * factor));
        double contentX = (viewX - translate.getX()) / zoom();
        double contentY = (viewY - translate.getY()) / zoom();
        scale.setX(next);
        scale.setY(next);
        translate.setX(viewX - contentX * next);
        translate.setY(viewY - contentY * next);
    }

    public void zoomBy(double factor) {
        zoomBy(factor, view.getWidth() / 2, view.getHeight() / 2);
    }

    public void panBy(double dx, double dy) {
        translate.setX(translate.getX() + dx);
        translate.setY(translate.getY() + dy);
    }

    /** Shows the whole drawing, but never magnifies it beyond 1:1. */
    public void fit() {
        double w = content.prefWidth(-1);
        double h = content.prefHeight(-1);
        if (w <= 0 || h <= 0 || view.getWidth() <= 0) {
            return;
        }
        double z = Math.max(MIN, Math.min(1, Math.min(view.getWidth() / w, view.getHeight() / h)));
        scale.setX(z);
        scale.setY(z);
        translate.setX((view.getWidth() - w * z) / 2);
        translate.setY(0);
    }

    /**
     * Puts the drawing's point (x, y) in the middle of the view, magnified to at least {@code atLeast} so that
     * what is there can be read; a view already closer keeps its zoom.
     */
    public void centreCloseUp(double x, double y, double atLeast) {
        double z = Math.max(zoom(), Math.min(MAX, atLeast));
        scale.setX(z);
        scale.setY(z);
        centreOn(x, y);
    }

    /** Puts the drawing's point (x, y) in the middle of the view. */
    public void centreOn(double x, double y) {
        translate.setX(view.getWidth() / 2 - x * zoom());
        translate.setY(view.getHeight() / 2 - y * zoom());
    }
}
