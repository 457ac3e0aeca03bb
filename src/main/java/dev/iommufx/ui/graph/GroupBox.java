package dev.iommufx.ui.graph;

import dev.iommufx.engine.GroupState;
import dev.iommufx.ui.viewmodel.GroupItem;
import java.util.Locale;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;

/**
 * An IOMMU group: a rounded box behind its members, filled by state. The state is a pseudo-class on this
 * one node (never styles on the members), and is also written in the header, so colour is not the only signal.
 * Drag the header onto a VM to give the group to it.
 */
public final class GroupBox extends Pane {
    private final GroupItem item;
    private final Label header = new Label();
    private final Region body = new Region();
    private PseudoClass current;

    GroupBox(GroupItem item) {
        this.item = item;
        getStyleClass().add("group-box");
        setId("group-" + item.id());
        body.getStyleClass().add("group-body");
        header.getStyleClass().add("group-header");
        header.setId("group-header-" + item.id());
        getChildren().addAll(body, header);
        item.stateProperty().addListener((obs, was, now) -> showState(now));
        item.summaryProperty().addListener((obs, was, now) -> header.setText(now));
        header.setText(item.summaryProperty().get());
        showState(item.stateProperty().get());
    }

    private void showState(GroupState state) {
        if (current != null) {
            pseudoClassStateChanged(current, false);
        }
        current = pseudoClass(state);
        pseudoClassStateChanged(current, true);
    }

    /** "default-domain", "dma-api-owned", "blocked", "user-claimed". */
    public static PseudoClass pseudoClass(GroupState state) {
        return PseudoClass.getPseudoClass(state.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** Places the box around members' bounds (x0,y0)-(x1,y1), with the header above them. */
    void frame(double x0, double y0, double x1, double y1) {
        double pad = 6;
        double headerHeight = 22;
        relocate(x0 - pad, y0 - headerHeight);
        body.setPrefSize(x1 - x0 + 2 * pad, y1 - y0 + headerHeight + pad);
        body.relocate(0, 0);
        header.relocate(8, 2);
    }

    public Label header() {
        return header;
    }

    public GroupItem item() {
        return item;
    }

    public boolean hasState(GroupState state) {
        return getPseudoClassStates().contains(pseudoClass(state));
    }
}
