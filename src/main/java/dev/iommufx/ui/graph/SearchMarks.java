package dev.iommufx.ui.graph;

import dev.iommufx.ui.viewmodel.DeviceItem;
import dev.iommufx.ui.viewmodel.SearchViewModel;
import java.util.List;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Bounds;

/**
 * The search on the graph: {@code :search-match} on the node of every matching device, {@code :search-current} on
 * the one the user is on, and a close-up of that one each time the search goes to it. Only the nodes whose state
 * changes are touched, never the whole graph, and at most {@link #MARKED_AT_MOST} matches are marked; a graph laid
 * out anew is marked again.
 */
final class SearchMarks {
    /** The zoom at which a device's card reads at the size the stylesheet gives it. */
    static final double READABLE = 1.0;
    /**
     * The most matches marked at once: those around the current one, in the machine's order. Marking a node costs
     * its CSS at the next pulse; a query such as "1" on a 13,000-function machine matches ten thousand of them,
     * which would take the pulse past half a second (docs/benchmarks.md), and at the zoom that shows them they
     * could not be told apart anyway. Walking on slides the marked stretch with the current match.
     */
    static final int MARKED_AT_MOST = 500;
    private final GraphView graph;
    private final SearchViewModel search;
    private final PseudoClassMarks<String> matched;
    private final PseudoClassMarks<String> current;
    /** The device gone to while the graph had no node for it yet (laid out anew, or a folded virtual function). */
    private String pending;

    SearchMarks(GraphView graph, SearchViewModel search) {
        this.graph = graph;
        this.search = search;
        this.matched = new PseudoClassMarks<>("search-match", graph.deviceNodes::get);
        this.current = new PseudoClassMarks<>("search-current", graph.deviceNodes::get);
    }

    void install() {
        search.matches().addListener((ListChangeListener<DeviceItem>) c -> markMatches());
        search.indexProperty().addListener((o, was, now) -> markMatches()); // the marked stretch follows it
        search.currentProperty().addListener((o, was, now) -> markCurrent());
        search.onVisit(this::closeUp);
        graph.laidOutProperty().addListener((o, was, now) -> {
            if (now) {
                laidOut();
            }
        });
    }

    /** Marks every match, or with more than {@link #MARKED_AT_MOST} the stretch of them around the current one. */
    private void markMatches() {
        List<DeviceItem> all = search.matches();
        int around = Math.max(0, search.indexProperty().get()) - MARKED_AT_MOST / 2;
        int from = Math.max(0, Math.min(around, all.size() - MARKED_AT_MOST));
        int to = Math.min(all.size(), from + MARKED_AT_MOST);
        matched.mark(all.subList(from, to).stream().map(DeviceItem::id).toList());
    }

    private void markCurrent() {
        DeviceItem d = search.currentProperty().get();
        current.mark(d == null ? List.of() : List.of(d.id()));
    }

    /** Centres on the device gone to, close enough to read it; a folded virtual function is unfolded first. */
    private void closeUp(DeviceItem d) {
        if (d == null) {
            return;
        }
        DeviceNode node = graph.deviceNode(d.id());
        if (!graph.laidOutProperty().get()) {
            pending = d.id(); // the nodes drawn now are the previous layout's
        } else if (node != null) {
            show(node);
        } else if (d.physfn() != null && !graph.isUnfolded(d.physfn())) {
            pending = d.id();
            graph.setUnfolded(d.physfn(), true);
        }
    }

    /** The nodes are new: they get the marks, and the device gone to meanwhile its close-up. */
    private void laidOut() {
        markMatches();
        markCurrent();
        String id = pending;
        pending = null;
        DeviceItem on = search.currentProperty().get();
        if (id != null && on != null && on.id().equals(id)) {
            // after the fit that a new layout queues, which would undo the close-up
            Platform.runLater(() -> {
                DeviceNode node = graph.deviceNode(id);
                if (node != null) {
                    show(node);
                }
            });
        }
    }

    private void show(DeviceNode node) {
        Bounds b = node.getBoundsInParent();
        graph.viewport().centreCloseUp(b.getCenterX(), b.getCenterY(), READABLE);
    }
}
