package dev.iommufx.ui.graph;

import java.util.function.Function;
import javafx.scene.Node;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.util.Duration;

/**
 * Why a device is in its group, shown when the pointer rests on it: one tooltip for every device of the graph
 * (a tooltip is a popup window of its own, and a machine has hundreds of devices), its text worked out only when
 * it shows.
 */
final class WhyTooltip {
    private final Tooltip tooltip = new Tooltip();
    /** The device the pointer last entered: the tooltip is shown for the window, not for a node. */
    private DeviceNode hovered;

    /**
     * @param layer the layer holding the device nodes
     * @param explain why a device is in its group, by device id
     */
    WhyTooltip(Pane layer, Function<String, String> explain) {
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(520);
        tooltip.setShowDelay(Duration.millis(400));
        layer.addEventFilter(MouseEvent.MOUSE_ENTERED_TARGET, e -> {
            for (Node n = (Node) e.getTarget(); n != null && n != layer; n = n.getParent()) {
                if (n instanceof DeviceNode device) {
                    hovered = device;
                    return;
                }
            }
        });
        tooltip.setOnShowing(e -> tooltip.setText(hovered == null ? "" : explain.apply(hovered.item().id())));
    }

    void install(DeviceNode device) {
        Tooltip.install(device, tooltip);
    }
}
