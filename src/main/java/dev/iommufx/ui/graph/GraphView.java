package dev.iommufx.ui.graph;

import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.ui.viewmodel.DeviceItem;
import dev.iommufx.ui.viewmodel.DriverItem;
import dev.iommufx.ui.viewmodel.GroupItem;
import dev.iommufx.ui.viewmodel.MachineItems;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import dev.iommufx.ui.viewmodel.TreeSnapshot;
import dev.iommufx.ui.viewmodel.VmItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.Rectangle;

/**
 * The machine drawn as a tidy tree, left to right, with group boxes behind their members, a lane of
 * drivers beside the tree and a lane of VMs beyond it. Laid out off the JavaFX thread (but the window's first
 * machine at once, before the window shows); ownership changes only recolour (pseudo-classes on the nodes an
 * event names), never move anything.
 */
public final class GraphView extends Region {
    final MachineViewModel machine;
    final Pane content = new Pane();
    /** The tree edges, {@link DriverLinks#CHUNK} to a path: a hundred nodes instead of thousands of lines. */
    private final Group edges = new Group();
    private final DriverLinks links = new DriverLinks();
    private final VmLinks vmLinks = new VmLinks();
    private final Pane groupLayer = new Pane();
    final Pane nodeLayer = new Pane();
    final Label ghost = new Label();
    final Map<String, DeviceNode> deviceNodes = new LinkedHashMap<>();
    final Map<Integer, GroupBox> groupBoxes = new HashMap<>();
    final Map<String, DriverNode> driverNodes = new LinkedHashMap<>();
    final Map<String, VmNode> vmNodes = new LinkedHashMap<>();
    private final ReadOnlyBooleanWrapper laidOut = new ReadOnlyBooleanWrapper(this, "laidOut");
    private final WhyTooltip why;
    private final ViewportControl viewport;
    private BiConsumer<Selection, Node> contextMenuHandler = (s, n) -> { };
    /** Physical functions whose virtual functions are drawn one by one. */
    private final java.util.Set<String> unfolded = new java.util.HashSet<>();
    private double vmLaneX;
    /** The machine changed while the overview was shown: the graph is built again when it is shown. */
    private boolean stale;

    public GraphView(MachineViewModel machine) {
        this.machine = machine;
        getStyleClass().add("graph-view");
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        edges.setMouseTransparent(true);
        groupLayer.setPickOnBounds(false);
        nodeLayer.setPickOnBounds(false);
        ghost.getStyleClass().add("drag-ghost");
        ghost.setMouseTransparent(true);
        ghost.setVisible(false);
        content.getChildren().addAll(groupLayer, edges);
        content.getChildren().addAll(links.nodes());
        content.getChildren().addAll(vmLinks.layer(), nodeLayer);
        getChildren().addAll(content, ghost);
        viewport = new ViewportControl(this, content);
        new GraphGestures(this).install();
        machine.subscribe(KernelEvent.MachineReplaced.class, e -> rebuildWhenShown());
        machine.subscribe(KernelEvent.StructureChanged.class, e -> rebuildWhenShown());
        // a large machine opens in the overview: its device graph is built only when the user turns to it
        machine.overview().shownProperty().addListener((o, was, now) -> {
            if (!now && stale) {
                rebuild();
            }
        });
        machine.vms().items().addListener((ListChangeListener<VmItem>) c -> placeVms());
        machine.selectionProperty().addListener((obs, was, now) -> showSelection(was, now));
        machine.lastResultProperty().addListener((obs, was, now) -> highlightChanged(now));
        new SearchMarks(this, machine.search()).install();
        why = new WhyTooltip(nodeLayer, id -> machine.items().explain(id));
    }

    /** True once the current machine is laid out and drawn. */
    public ReadOnlyBooleanProperty laidOutProperty() {
        return laidOut.getReadOnlyProperty();
    }

    public void setContextMenuHandler(BiConsumer<Selection, Node> handler) {
        contextMenuHandler = handler;
    }

    void requestContextMenu(Selection s, Node anchor) {
        contextMenuHandler.accept(s, anchor);
    }

    /** Rebuilds now if the graph is what the window shows, else when it is shown (the old machine's nodes go now). */
    private void rebuildWhenShown() {
        if (machine.overview().shownProperty().get()) {
            stale = true;
            laidOut.set(false);
            clear();
            vmLinks.clear();
        } else {
            rebuild();
        }
    }

    /** Lays the machine out again (new machine, or devices appeared or went away). */
    public void rebuild() {
        stale = false;
        laidOut.set(false);
        MachineItems items = machine.items();
        long drawing = items.generation();
        TreeSnapshot tree = items.tree(java.util.Set.copyOf(unfolded));
        CompletableFuture.supplyAsync(() -> GraphLayout.compute(tree))
                .thenAccept(layout -> Platform.runLater(() -> {
                    if (items.generation() == drawing) { // else a newer rebuild draws the newer machine
                        populate(items, tree, layout);
                    }
                }));
    }

    /**
     * Lays the machine out at once, on this thread: the window builds its first machine so before it is shown,
     * and that machine is in its first frame, styled and laid out with the rest of the window. A machine that
     * opens in the overview is built when the graph is shown.
     */
    public void rebuildNow() {
        if (machine.overview().shownProperty().get()) {
            rebuildWhenShown();
            return;
        }
        stale = false;
        MachineItems items = machine.items();
        TreeSnapshot tree = items.tree(java.util.Set.copyOf(unfolded));
        populate(items, tree, GraphLayout.compute(tree));
    }

    private void populate(MachineItems items, TreeSnapshot tree, GraphLayout layout) {
        clear();
        Map<String, double[]> at = placeDevices(items, tree, layout);
        drawEdges(tree, layout);
        placeGroups(items, at);
        placeDrivers(items, layout.width() + 90);
        vmLaneX = layout.width() + 90 + GraphLayout.NODE_WIDTH + 120;
        placeVms();
        content.setPrefSize(vmLaneX + GraphLayout.NODE_WIDTH + 60, Math.max(layout.height(), 600));
        Platform.runLater(viewport::fit);
        laidOut.set(true); // after the fit is queued: what a listener queues (a search's close-up) comes after it
    }

    /**
     * Positions a node and makes it unmanaged: it becomes its own layout root, so a change inside it (a driver's
     * name, a state) is laid out alone instead of making the layer walk all of its thousands of children.
     */
    private static void place(Region node, double x, double y) {
        node.setManaged(false);
        node.relocate(x, y);
        node.autosize();
    }

    private void clear() {
        deviceNodes.clear();
        groupBoxes.clear();
        driverNodes.clear();
        vmNodes.clear();
        nodeLayer.getChildren().clear();
        groupLayer.getChildren().clear();
        edges.getChildren().clear();
        links.clear();
    }

    private Map<String, double[]> placeDevices(MachineItems items, TreeSnapshot tree, GraphLayout layout) {
        Map<String, double[]> at = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i < tree.size(); i++) {
            String id = tree.ids().get(i);
            DeviceItem item = items.device(id);
            Region node;
            if (id.startsWith(TreeSnapshot.VF_BUNDLE)) {
                node = new VfBundleNode(items, id.substring(TreeSnapshot.VF_BUNDLE.length()), tree.labels().get(i));
            } else if (item == null) {
                Label root = new Label(tree.labels().get(i));
                root.getStyleClass().add("root-bus");
                root.setPrefSize(GraphLayout.ROOT_WIDTH, GraphLayout.NODE_HEIGHT);
                node = root;
            } else {
                DeviceNode dn = new DeviceNode(item);
                why.install(dn);
                deviceNodes.put(id, dn);
                node = dn;
            }
            place(node, layout.x(i), layout.y(i));
            at.put(id, new double[] {layout.x(i), layout.y(i)});
            nodes.add(node);
        }
        nodeLayer.getChildren().addAll(nodes);
        return at;
    }

    private void drawEdges(TreeSnapshot tree, GraphLayout layout) {
        List<PathElement> lines = new ArrayList<>();
        for (int p = 1; p < tree.size(); p++) {
            double px = layout.x(p) + (tree.depth()[p] == 1 ? GraphLayout.ROOT_WIDTH : GraphLayout.NODE_WIDTH);
            double py = layout.y(p) + GraphLayout.NODE_HEIGHT / 2;
            for (int c : tree.children()[p]) {
                lines.add(new MoveTo(px, py));
                lines.add(new LineTo(layout.x(c), layout.y(c) + GraphLayout.NODE_HEIGHT / 2));
            }
        }
        List<Node> paths = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 2 * DriverLinks.CHUNK) {
            Path path = new Path(lines.subList(i, Math.min(lines.size(), i + 2 * DriverLinks.CHUNK)));
            path.getStyleClass().add("tree-edge");
            paths.add(path);
        }
        edges.getChildren().setAll(paths);
    }

    private void placeGroups(MachineItems items, Map<String, double[]> at) {
        for (GroupItem item : items.groups()) {
            double x0 = Double.MAX_VALUE;
            double y0 = Double.MAX_VALUE;
            double x1 = -Double.MAX_VALUE;
            double y1 = -Double.MAX_VALUE;
            for (String member : item.members()) {
                double[] p = at.get(member);
                if (p == null) {
                    continue; // a folded virtual function
                }
                x0 = Math.min(x0, p[0]);
                y0 = Math.min(y0, p[1]);
                x1 = Math.max(x1, p[0] + GraphLayout.NODE_WIDTH);
                y1 = Math.max(y1, p[1] + GraphLayout.NODE_HEIGHT);
            }
            if (x0 == Double.MAX_VALUE) {
                continue;
            }
            GroupBox box = new GroupBox(item);
            box.frame(x0, y0, x1, y1);
            box.setManaged(false);
            box.autosize();
            groupBoxes.put(item.id(), box);
            groupLayer.getChildren().add(box);
        }
    }

    private void placeDrivers(MachineItems items, double laneX) {
        double y = GraphLayout.MARGIN;
        String bus = null;
        for (DriverItem drv : items.drivers()) {
            if (!drv.bus().equals(bus)) {
                bus = drv.bus();
                Label header = new Label("drivers on the " + bus + " bus");
                header.getStyleClass().add("lane-header");
                place(header, laneX, y);
                nodeLayer.getChildren().add(header);
                y += 28;
            }
            DriverNode node = new DriverNode(drv);
            place(node, laneX, y);
            driverNodes.put(drv.key(), node);
            nodeLayer.getChildren().add(node);
            y += GraphLayout.NODE_HEIGHT + 30;
        }
        for (DeviceNode dn : deviceNodes.values()) {
            linkToDriver(dn);
            dn.item().driverProperty().addListener((obs, was, now) -> {
                linkToDriver(dn);
                flushNewLinks();
            });
        }
        flushNewLinks();
    }

    /** Points the device's line at its driver in the lane (collapsed while it has none). */
    private void linkToDriver(DeviceNode dn) {
        DeviceItem d = dn.item();
        String driver = d.driverProperty().get();
        DriverNode target = driver == null ? null : driverNodes.get(d.bus() + "/" + driver);
        if (target == null) {
            links.unlink(d.id());
            return;
        }
        links.link(d.id(), dn.getLayoutX() + GraphLayout.NODE_WIDTH, dn.getLayoutY() + GraphLayout.NODE_HEIGHT / 2,
                target.getLayoutX(), target.getLayoutY() + GraphLayout.NODE_HEIGHT / 2);
    }

    private void flushNewLinks() {
        links.flush();
    }

    private void placeVms() {
        nodeLayer.getChildren().removeAll(vmNodes.values());
        vmNodes.clear();
        double y = GraphLayout.MARGIN + 28;
        for (VmItem vm : machine.vms().items()) {
            VmNode node = new VmNode(vm);
            place(node, vmLaneX, y);
            vmNodes.put(vm.name(), node);
            nodeLayer.getChildren().add(node);
            y += GraphLayout.NODE_HEIGHT + 60;
        }
        vmLinks.draw(vmNodes, groupBoxes, machine.vms().items());
    }


    private void showSelection(Selection was, Selection now) {
        Node old = nodeFor(was);
        if (old != null) {
            old.pseudoClassStateChanged(DeviceNode.SELECTED, false);
        }
        Node sel = nodeFor(now);
        if (sel != null) {
            sel.pseudoClassStateChanged(DeviceNode.SELECTED, true);
        }
        links.select(now != null && now.kind() == Selection.Kind.DEVICE ? now.id() : null);
    }

    /** The groups the last operation (or scenario step) changed. */
    private final PseudoClassMarks<Integer> changed = new PseudoClassMarks<>("changed", groupBoxes::get);
    /** The devices a plan would move. */
    private final PseudoClassMarks<String> planned = new PseudoClassMarks<>("planned", deviceNodes::get);

    /** Marks the groups the last operation changed; only those boxes are touched. */
    private void highlightChanged(OpResult r) {
        changed.mark(r == null ? java.util.Set.of() : r.changedGroups());
    }

    /** Marks the devices a plan would move (a preview); an empty set clears it. */
    public void preview(java.util.Set<String> devices) {
        planned.mark(devices);
    }

    /** Whether the device is marked by a plan's preview. */
    public boolean isPreviewed(String device) {
        return planned.isMarked(device);
    }

    /** Draws a physical function's virtual functions one by one (true) or as one node (false). */
    public void setUnfolded(String physfn, boolean show) {
        if (show ? unfolded.add(physfn) : unfolded.remove(physfn)) {
            rebuild();
        }
    }

    public boolean isUnfolded(String physfn) {
        return unfolded.contains(physfn);
    }

    /** The node drawn for a selection, or null. */
    public Node nodeFor(Selection s) {
        if (s == null) {
            return null;
        }
        return switch (s.kind()) {
            case DEVICE -> deviceNodes.get(s.id());
            case GROUP -> groupBoxes.get(Integer.valueOf(s.id()));
            case DRIVER -> driverNodes.values().stream().filter(d -> d.item().name().equals(s.id())).findFirst()
                    .orElse(null);
            case VM -> vmNodes.get(s.id());
        };
    }

    /** Scrolls so that the node is in the middle of the view. */
    public void centreOn(Node node) {
        Bounds b = node.getBoundsInParent();
        viewport.centreOn(b.getCenterX(), b.getCenterY());
    }

    /** Centres the group's box at a readable zoom, once the graph is laid out (it may be building). */
    public void centreOnGroup(int group) {
        Runnable go = () -> {
            GroupBox box = groupBoxes.get(group);
            if (box != null) {
                if (viewport.zoom() < 1) {
                    viewport.zoomBy(1 / viewport.zoom());
                }
                centreOn(box);
            }
        };
        if (laidOut.get()) {
            go.run();
            return;
        }
        laidOut.addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean now) {
                if (now) {
                    laidOut.removeListener(this);
                    Platform.runLater(go); // after the fit that follows the layout
                }
            }
        });
    }

    public ViewportControl viewport() {
        return viewport;
    }

    public DeviceNode deviceNode(String id) {
        return deviceNodes.get(id);
    }

    public GroupBox groupBox(int id) {
        return groupBoxes.get(id);
    }

    public DriverNode driverNode(String bus, String name) {
        return driverNodes.get(bus + "/" + name);
    }

    @Override
    protected void layoutChildren() {
        content.autosize();
    }
}
