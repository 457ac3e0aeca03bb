package dev.iommufx.ui.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.shape.CubicCurve;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;

/**
 * The lines from devices to their drivers, {@link #CHUNK} to a {@link Path}: a scene of thousands of separate
 * curves makes every pulse walk their bounds, while one path for all of them would be drawn whole at every
 * frame; chunks of neighbouring devices keep both small. The selected device's line is drawn again on top as a
 * single highlighted curve. A device without a driver keeps its segment, collapsed to a point.
 */
final class DriverLinks {
    /** Curves per path. */
    static final int CHUNK = 128;
    private final javafx.scene.Group all = new javafx.scene.Group();
    private final CubicCurve selected = new CubicCurve();
    private final Map<String, MoveTo> starts = new HashMap<>();
    private final Map<String, CubicCurveTo> curves = new HashMap<>();
    private final List<PathElement> pending = new ArrayList<>();
    private String selectedId;

    DriverLinks() {
        selected.getStyleClass().add("driver-link");
        selected.pseudoClassStateChanged(DeviceNode.SELECTED, true);
        selected.setVisible(false);
        all.setMouseTransparent(true);
        selected.setMouseTransparent(true);
    }

    /** The nodes to put in the scene: the path of all links, then the highlight. */
    List<Node> nodes() {
        return List.of(all, selected);
    }

    void clear() {
        all.getChildren().clear();
        starts.clear();
        curves.clear();
        pending.clear();
        selectedId = null;
        selected.setVisible(false);
    }

    /** Draws the device's line from (sx, sy) to its driver at (tx, ty). */
    void link(String device, double sx, double sy, double tx, double ty) {
        MoveTo m = starts.get(device);
        CubicCurveTo c = curves.get(device);
        if (m == null) {
            m = new MoveTo();
            c = new CubicCurveTo();
            starts.put(device, m);
            curves.put(device, c);
            pending.add(m);
            pending.add(c);
        }
        m.setX(sx);
        m.setY(sy);
        c.setControlX1(sx + 80);
        c.setControlY1(sy);
        c.setControlX2(tx - 80);
        c.setControlY2(ty);
        c.setX(tx);
        c.setY(ty);
        if (device.equals(selectedId)) {
            showSelected();
        }
    }

    /** The device has no driver: its line shrinks to nothing. */
    void unlink(String device) {
        MoveTo m = starts.get(device);
        if (m != null) {
            CubicCurveTo c = curves.get(device);
            c.setControlX1(m.getX());
            c.setControlY1(m.getY());
            c.setControlX2(m.getX());
            c.setControlY2(m.getY());
            c.setX(m.getX());
            c.setY(m.getY());
        }
        if (device.equals(selectedId)) {
            selected.setVisible(false);
        }
    }

    /** Adds the segments made since the last flush, in paths of {@link #CHUNK} curves, in one change. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Node> paths = new ArrayList<>();
        for (int i = 0; i < pending.size(); i += 2 * CHUNK) {
            Path p = new Path(pending.subList(i, Math.min(pending.size(), i + 2 * CHUNK)));
            p.getStyleClass().add("driver-link");
            p.setMouseTransparent(true);
            paths.add(p);
        }
        all.getChildren().addAll(paths);
        pending.clear();
    }

    /** Highlights the line of this device (null: none). */
    void select(String device) {
        selectedId = device;
        showSelected();
    }

    private void showSelected() {
        CubicCurveTo c = selectedId == null ? null : curves.get(selectedId);
        MoveTo m = selectedId == null ? null : starts.get(selectedId);
        if (c == null || c.getX() == m.getX()) {
            selected.setVisible(false);
            return;
        }
        selected.setStartX(m.getX());
        selected.setStartY(m.getY());
        selected.setControlX1(c.getControlX1());
        selected.setControlY1(c.getControlY1());
        selected.setControlX2(c.getControlX2());
        selected.setControlY2(c.getControlY2());
        selected.setEndX(c.getX());
        selected.setEndY(c.getY());
        selected.setVisible(true);
    }
}
