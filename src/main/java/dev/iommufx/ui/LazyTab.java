package dev.iommufx.ui;

import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Tab;

/**
 * A side tab whose panel is built the first time the tab is selected (or the panel is asked for). A tab's panel
 * is styled and laid out with the window even while hidden, so building the unseen ones up front would cost the
 * start of every window (docs/benchmarks.md, "Start-up"); a panel built late shows the view-model's state of then.
 */
final class LazyTab<T extends Node> {
    private final Tab tab;
    private final Supplier<T> build;
    private T panel;

    LazyTab(String title, Supplier<T> build) {
        this.tab = new Tab(title);
        this.build = build;
        tab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                panel();
            }
        });
    }

    Tab tab() {
        return tab;
    }

    /** The panel, built now if it was not yet. */
    T panel() {
        if (panel == null) {
            panel = build.get();
            tab.setContent(panel);
        }
        return panel;
    }
}
