package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.VmItem;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A VM: a VFIO container, with the groups set into it. Drop a group's header here to give the group to it. */
public final class VmNode extends VBox {
    private final VmItem item;

    VmNode(VmItem item) {
        this.item = item;
        getStyleClass().add("vm");
        setId("vm-" + item.name());
        Label title = new Label(item.name() + "  (VFIO container)");
        title.getStyleClass().add("vm-title");
        Label groups = new Label();
        groups.getStyleClass().add("vm-groups");
        groups.textProperty().bind(item.groupsProperty().map(VmNode::describe));
        Label iommu = new Label();
        iommu.getStyleClass().add("vm-groups");
        iommu.setId("vm-iommu-" + item.name());
        iommu.textProperty().bind(item.iommuProperty().map(t -> "IOMMU " + t + ": started")
                .orElse("IOMMU not set yet (not started)"));
        getChildren().addAll(title, groups, iommu);
        setPrefSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT + 40);
    }

    private static String describe(List<Integer> ids) {
        return ids.isEmpty() ? "no groups: drop a group here"
                : "groups " + ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    public String name() {
        return item.name();
    }
}
