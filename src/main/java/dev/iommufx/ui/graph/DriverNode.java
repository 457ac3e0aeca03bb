package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.DriverItem;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A driver in the lane beside the tree: its name, whether it is driver_managed_dma, and how many devices it has. */
public final class DriverNode extends VBox {
    static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");
    private final DriverItem item;

    DriverNode(DriverItem item) {
        this.item = item;
        getStyleClass().add("driver");
        setId("drv-" + item.name());
        Label name = new Label(item.name());
        name.getStyleClass().add("driver-name");
        String kind = item.driverManagedDma() ? (item.vfio() ? "driver_managed_dma · VFIO" : "driver_managed_dma")
                : "DMA API";
        Label flags = new Label(kind);
        flags.getStyleClass().add(item.driverManagedDma() ? "driver-dmd" : "driver-dma-api");
        Label count = new Label();
        count.textProperty().bind(item.boundCountProperty()
                .map(n -> n.intValue() == 0 ? "no devices" : n.intValue() == 1 ? "1 device" : n + " devices"));
        getChildren().addAll(name, flags, count);
        setPrefSize(GraphLayout.NODE_WIDTH - 40, GraphLayout.NODE_HEIGHT + 14);
    }

    public DriverItem item() {
        return item;
    }
}
