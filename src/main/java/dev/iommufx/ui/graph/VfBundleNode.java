package dev.iommufx.ui.graph;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.ui.vm.GroupItem;
import dev.iommufx.ui.vm.MachineViewModel;
import java.util.EnumMap;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * A physical function's virtual functions folded into one node, with how many of their groups are in
 * each state. Double-click (or the menu) unfolds them.
 */
public final class VfBundleNode extends VBox {
    private final MachineViewModel vm;
    private final String physfn;
    private final Label states = new Label();

    VfBundleNode(MachineViewModel vm, String physfn, String title) {
        this.vm = vm;
        this.physfn = physfn;
        getStyleClass().add("vf-bundle");
        setId("vfs-" + DeviceNode.nodeId(physfn).substring(4));
        Label t = new Label(title);
        t.getStyleClass().add("device-title");
        states.getStyleClass().add("device-name");
        getChildren().addAll(t, states);
        setPrefSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT);
        for (Device vf : vm.kernel().device(physfn).virtfns()) {
            GroupItem g = vf.group() == null ? null : vm.group(vf.group().id());
            if (g != null) {
                g.stateProperty().addListener((o, was, now) -> refresh());
            }
        }
        refresh();
    }

    private void refresh() {
        Map<GroupState, Integer> count = new EnumMap<>(GroupState.class);
        for (Device vf : vm.kernel().device(physfn).virtfns()) {
            if (vf.isPresent() && vf.group() != null) {
                count.merge(vf.group().state(), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        count.forEach((state, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(state.label()));
        states.setText(sb + "  (double-click to show)");
    }

    public String physfn() {
        return physfn;
    }
}
