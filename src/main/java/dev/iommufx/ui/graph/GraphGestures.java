package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.GroupItem;
import dev.iommufx.ui.viewmodel.Selection;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseDragEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/**
 * Mouse gestures on the graph: click to select, right-click for the context menu, drag a device onto a
 * driver, drag a group's header onto a VM (or off it, onto empty space), drag the background to pan,
 * scroll to zoom. Installed once on the view; targets are found from the picked node.
 */
final class GraphGestures {
    private final GraphView view;
    /** What is being dragged: a device id (String) or a group number (Integer); null when nothing is. */
    private Object dragging;
    private Point2D panFrom;

    GraphGestures(GraphView view) {
        this.view = view;
    }

    void install() {
        view.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        view.addEventHandler(MouseEvent.DRAG_DETECTED, this::dragDetected);
        view.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        view.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> endDrag());
        view.addEventHandler(MouseDragEvent.MOUSE_DRAG_ENTERED_TARGET, e -> highlight(e, true));
        view.addEventHandler(MouseDragEvent.MOUSE_DRAG_EXITED_TARGET, e -> highlight(e, false));
        view.addEventHandler(MouseDragEvent.MOUSE_DRAG_RELEASED, this::dropped);
        view.addEventHandler(ScrollEvent.SCROLL, e -> {
            view.viewport().zoomBy(e.getDeltaY() > 0 ? 1.15 : 1 / 1.15, e.getX(), e.getY());
            e.consume();
        });
    }

    private void pressed(MouseEvent e) {
        view.requestFocus();
        Node target = e.getPickResult().getIntersectedNode();
        VfBundleNode bundle = ancestor(target, VfBundleNode.class);
        if (bundle != null && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
            view.setUnfolded(bundle.physfn(), true);
            return;
        }
        Selection s = selectionAt(target);
        panFrom = s == null && e.getButton() == MouseButton.PRIMARY ? new Point2D(e.getX(), e.getY()) : null;
        if (s != null) {
            view.machine.selectionProperty().set(s);
        }
        if (e.getButton() == MouseButton.SECONDARY && s != null) {
            view.requestContextMenu(s, view.nodeFor(s));
        }
    }

    private void dragDetected(MouseEvent e) {
        // the node the press started on: the pointer may already have left it when the drag is detected
        Node target = e.getTarget() instanceof Node n ? n : null;
        DeviceNode dn = ancestor(target, DeviceNode.class);
        GroupBox box = headerOwner(target);
        if (dn != null) {
            dragging = dn.item().id();
            view.ghost.setText(dn.item().id() + " → drop on a driver");
        } else if (box != null) {
            dragging = box.item().id();
            view.ghost.setText("group " + box.item().id() + " → drop on a VM");
        } else {
            return;
        }
        view.startFullDrag();
        view.ghost.setVisible(true);
        moveGhost(e);
    }

    private void dragged(MouseEvent e) {
        if (dragging != null) {
            moveGhost(e);
        } else if (panFrom != null) {
            view.viewport().panBy(e.getX() - panFrom.getX(), e.getY() - panFrom.getY());
            panFrom = new Point2D(e.getX(), e.getY());
        }
    }

    private void moveGhost(MouseEvent e) {
        view.ghost.relocate(e.getX() + 14, e.getY() + 10);
        view.ghost.autosize();
    }

    private void dropped(MouseDragEvent e) {
        Object payload = dragging;
        endDrag();
        if (payload == null) {
            return;
        }
        Node target = e.getPickResult().getIntersectedNode();
        DriverNode driver = ancestor(target, DriverNode.class);
        VmNode vmNode = ancestor(target, VmNode.class);
        if (payload instanceof String device && driver != null) {
            // a driver of another bus too: the kernel refuses it, and its answer is shown like any refusal
            view.machine.moveToDriver(device, driver.item());
        } else if (payload instanceof Integer group && vmNode != null) {
            view.machine.giveGroupToVm(group, vmNode.name());
        } else if (payload instanceof Integer group && driver == null && selectionAt(target) == null
                && inAVm(group)) {
            view.machine.takeGroupFromVm(group);
        }
        e.consume();
    }

    private boolean inAVm(int group) {
        GroupItem g = view.machine.items().group(group);
        return g != null && g.vmProperty().get() != null;
    }

    private void endDrag() {
        dragging = null;
        panFrom = null;
        view.ghost.setVisible(false);
        view.driverNodes.values().forEach(n -> n.pseudoClassStateChanged(DriverNode.DROP_TARGET, false));
        view.vmNodes.values().forEach(n -> n.pseudoClassStateChanged(DriverNode.DROP_TARGET, false));
    }

    private void highlight(MouseDragEvent e, boolean on) {
        if (dragging == null) {
            return;
        }
        Node target = e.getTarget() instanceof Node n ? n : null;
        DriverNode driver = ancestor(target, DriverNode.class);
        VmNode vmNode = ancestor(target, VmNode.class);
        if (dragging instanceof String && driver != null) {
            driver.pseudoClassStateChanged(DriverNode.DROP_TARGET, on);
        } else if (dragging instanceof Integer && vmNode != null) {
            vmNode.pseudoClassStateChanged(DriverNode.DROP_TARGET, on);
        }
    }

    /** What a click on this node selects: a device, a group (its box or header), a driver, a VM. */
    static Selection selectionAt(Node target) {
        VfBundleNode bundle = ancestor(target, VfBundleNode.class);
        if (bundle != null) {
            return Selection.device(bundle.physfn());
        }
        DeviceNode dn = ancestor(target, DeviceNode.class);
        if (dn != null) {
            return Selection.device(dn.item().id());
        }
        DriverNode drv = ancestor(target, DriverNode.class);
        if (drv != null) {
            return Selection.driver(drv.item().name());
        }
        VmNode vm = ancestor(target, VmNode.class);
        if (vm != null) {
            return Selection.vm(vm.name());
        }
        GroupBox box = ancestor(target, GroupBox.class);
        return box == null ? null : Selection.group(box.item().id());
    }

    private static GroupBox headerOwner(Node target) {
        GroupBox box = ancestor(target, GroupBox.class);
        return box != null && ancestorOrSelf(target, box.header()) ? box : null;
    }

    private static boolean ancestorOrSelf(Node n, Node wanted) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p == wanted) {
                return true;
            }
        }
        return false;
    }

    static <T> T ancestor(Node n, Class<T> type) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (type.isInstance(p)) {
                return type.cast(p);
            }
        }
        return null;
    }
}
