package dev.iommufx.ui.graph;

import dev.iommufx.engine.Driver;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A driver in the lane beside the tree: its name, whether it is driver_managed_dma, and how many devices it has. */
public final class DriverNode extends VBox {
    static final PseudoClass DROP_TARGET = PseudoClass.getPseudoClass("drop-target");
    private final Driver driver;
    private final Label count = new Label();

    DriverNode(Driver driver) {
        this.driver = driver;
        getStyleClass().add("driver");
        setId("drv-" + driver.name());
        Label name = new Label(driver.name());
        name.getStyleClass().add("driver-name");
        String kind = driver.driverManagedDma() ? (driver.spec().vfio() ? "driver_managed_dma · VFIO" : "driver_managed_dma")
                : "DMA API";
        Label flags = new Label(kind);
        flags.getStyleClass().add(driver.driverManagedDma() ? "driver-dmd" : "driver-dma-api");
        getChildren().addAll(name, flags, count);
        setPrefSize(GraphLayout.NODE_WIDTH - 40, GraphLayout.NODE_HEIGHT + 14);
        refreshCount();
    }

    void refreshCount() {
        int n = driver.boundCount();
        count.setText(n == 0 ? "no devices" : n == 1 ? "1 device" : n + " devices");
    }

    public Driver driver() {
        return driver;
    }
}
