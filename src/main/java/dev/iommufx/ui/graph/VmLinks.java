package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.VmItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.value.ChangeListener;
import javafx.scene.Group;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;

/**
 * A line from each VM to every group set into its container, so that which groups a VM holds reads at a glance
 * (the VM's card names them too). One path per VM, redrawn when its groups change; the graph's nodes stay above.
 */
final class VmLinks {
    private final Group layer = new Group();
    /** The listeners on the VMs drawn now, removed when the VMs are drawn again (a VM list or a new machine). */
    private final List<Runnable> detach = new ArrayList<>();

    VmLinks() {
        layer.setMouseTransparent(true);
        layer.setId("vm-links");
    }

    Group layer() {
        return layer;
    }

    /** No lines, and no VM followed any more (the graph is emptied). */
    void clear() {
        detach.forEach(Runnable::run);
        detach.clear();
        layer.getChildren().clear();
    }

    /** Draws the lines of these VMs to the groups' boxes, and follows each VM's groups from now on. */
    void draw(Map<String, VmNode> vms, Map<Integer, GroupBox> groups, List<VmItem> items) {
        clear();
        for (VmItem item : items) {
            VmNode node = vms.get(item.name());
            if (node == null) {
                continue;
            }
            Path path = new Path();
            path.getStyleClass().add("vm-link");
            path.setId("vm-link-" + item.name());
            layer.getChildren().add(path);
            ChangeListener<List<Integer>> follow = (o, was, now) -> trace(path, node, now, groups);
            item.groupsProperty().addListener(follow);
            detach.add(() -> item.groupsProperty().removeListener(follow));
            trace(path, node, item.groupsProperty().get(), groups);
        }
    }

    /** From the VM's left edge to each group's header, on its right edge. */
    private static void trace(Path path, VmNode vm, List<Integer> ids, Map<Integer, GroupBox> groups) {
        path.getElements().clear();
        double sx = vm.getLayoutX();
        double sy = vm.getLayoutY() + 14;
        for (int id : ids) {
            GroupBox box = groups.get(id);
            if (box == null) {
                continue;
            }
            double tx = box.getLayoutX() + Math.max(box.getWidth(), box.prefWidth(-1));
            double ty = box.getLayoutY() + 11;
            double bend = Math.max(60, (sx - tx) / 3);
            path.getElements().addAll(new MoveTo(sx, sy), new CubicCurveTo(sx - bend, sy, tx + bend, ty, tx, ty));
        }
    }

}
