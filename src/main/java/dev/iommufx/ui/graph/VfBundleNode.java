package dev.iommufx.ui.graph;

import dev.iommufx.engine.GroupState;
import dev.iommufx.ui.viewmodel.DeviceItem;
import dev.iommufx.ui.viewmodel.GroupItem;
import dev.iommufx.ui.viewmodel.MachineItems;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * A physical function's virtual functions folded into one node, with how many of their groups are in
 * each state. Double-click (or the menu) unfolds them.
 */
public final class VfBundleNode extends VBox {
    private final String physfn;
    private final Label states = new Label();
    /** The groups of the present virtual functions, one entry per function. */
    private final List<GroupItem> groups = new ArrayList<>();

    VfBundleNode(MachineItems items, String physfn, String title) {
        this.physfn = physfn;
        getStyleClass().add("vf-bundle");
        setId("vfs-" + DeviceNode.nodeId(physfn).substring(4));
        Label t = new Label(title);
        t.getStyleClass().add("device-title");
        states.getStyleClass().add("device-name");
        getChildren().addAll(t, states);
        setPrefSize(GraphLayout.NODE_WIDTH, GraphLayout.NODE_HEIGHT);
        for (String vf : items.device(physfn).virtfns()) {
            DeviceItem d = items.device(vf);
            GroupItem g = d == null || d.groupId() == null ? null : items.group(d.groupId());
            if (g != null) {
                groups.add(g);
                g.stateProperty().addListener((o, was, now) -> refresh());
            }
        }
        refresh();
    }

    private void refresh() {
        Map<GroupState, Integer> count = new EnumMap<>(GroupState.class);
        for (GroupItem g : groups) {
            count.merge(g.stateProperty().get(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        count.forEach((state, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(state.label()));
        states.setText(sb + "  (double-click to show)");
    }

    public String physfn() {
        return physfn;
    }
}
