package dev.iommufx.ui;

import dev.iommufx.ui.viewmodel.DeviceItem;
import dev.iommufx.ui.viewmodel.Selection;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * Keys on the graph: Up/Down walk the devices in tree order, Enter, the context-menu key or Shift+F10 open
 * the selection's menu, Delete unbinds the selected device, Escape clears the selection.
 */
final class KeyboardControl {
    private final MainWindow w;

    KeyboardControl(MainWindow window) {
        this.w = window;
    }

    void install() {
        w.graph.setFocusTraversable(true);
        w.graph.addEventHandler(KeyEvent.KEY_PRESSED, this::pressed);
    }

    private void pressed(KeyEvent e) {
        Selection s = w.machine.selectionProperty().get();
        switch (e.getCode()) {
            case DOWN, UP -> step(e.getCode() == KeyCode.DOWN ? 1 : -1);
            case ENTER, CONTEXT_MENU -> w.showContextMenu(w.graph.nodeFor(s));
            case F10 -> {
                if (e.isShiftDown()) {
                    w.showContextMenu(w.graph.nodeFor(s));
                }
            }
            case DELETE -> {
                if (s != null && s.kind() == Selection.Kind.DEVICE) {
                    w.machine.unbind(s.id());
                }
            }
            case ESCAPE -> w.machine.selectionProperty().set(null);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void step(int by) {
        List<String> ids = new ArrayList<>(w.machine.items().devices().stream().map(DeviceItem::id)
                .filter(id -> w.graph.deviceNode(id) != null).toList());
        if (ids.isEmpty()) {
            return;
        }
        Selection s = w.machine.selectionProperty().get();
        int at = s == null || s.kind() != Selection.Kind.DEVICE ? -1 : ids.indexOf(s.id());
        int next = Math.floorMod(at + by, ids.size());
        w.machine.selectionProperty().set(Selection.device(ids.get(next)));
        w.graph.centreOn(w.graph.deviceNode(ids.get(next)));
    }
}
