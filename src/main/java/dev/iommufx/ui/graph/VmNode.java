package dev.iommufx.ui.graph;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A VM: a VFIO container. Drop a group's header here to give the group to it. */
public final class VmNode extends VBox {
    private final String name;
    private final Label groups = new Label("no groups: drop a group here");

    VmNode(String name) {
        this.name = name;
        getStyleClass().add("vm");
        setId("vm-" + name);
        Label title = new Label(name + "  (VFIO container)");
        title.getStyleClass().add("vm-title");
        groups.getStyleClass().add("vm-groups");
        getChildren().addAll(title, groups);
        setPrefSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT + 24);
    }

    void showGroups(java.util.List<Integer> ids) {
        groups.setText(ids.isEmpty() ? "no groups: drop a group here"
                : "groups " + ids.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""));
    }

    public String name() {
        return name;
    }
}
