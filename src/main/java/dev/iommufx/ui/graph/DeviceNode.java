package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.DeviceItem;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A PCI function or platform device: its address and driver, and its name underneath. Drag it onto a driver. */
public final class DeviceNode extends VBox {
    static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private final DeviceItem item;
    private final Label title = new Label();

    DeviceNode(DeviceItem item) {
        this.item = item;
        getStyleClass().add("device");
        setId(nodeId(item.id()));
        Label name = new Label(item.label());
        name.getStyleClass().add("device-name");
        title.getStyleClass().add("device-title");
        getChildren().addAll(title, name);
        setPrefSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT);
        setMinSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT);
        setMaxSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT);
        setFocusTraversable(false);
        item.driverProperty().addListener((obs, was, now) -> showDriver(now));
        showDriver(item.driverProperty().get());
    }

    private void showDriver(String driver) {
        title.setText(item.id() + "  ·  " + (driver == null ? "no driver" : driver));
        pseudoClassStateChanged(PseudoClass.getPseudoClass("unbound"), driver == null);
    }

    public DeviceItem item() {
        return item;
    }

    /** The node id a test or a search can look up for a device. */
    public static String nodeId(String deviceId) {
        return "dev-" + deviceId.replace(':', '_').replace('.', '_');
    }
}
