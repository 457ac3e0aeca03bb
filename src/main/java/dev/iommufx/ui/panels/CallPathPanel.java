package dev.iommufx.ui.panels;

import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.trace.Frame;
import javafx.collections.FXCollections;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/** The last operation: what was asked, what the kernel answered, and every function on the call path. */
public final class CallPathPanel extends VBox {
    private final Label heading = new Label("No operation yet. Drag a device onto a driver.");
    /** Built at the first operation: until then there is no call path to list. */
    private ListView<Frame> frames;
    private final Label extra = new Label();

    public CallPathPanel() {
        getStyleClass().add("call-path");
        setId("call-path");
        heading.getStyleClass().add("panel-heading");
        heading.setWrapText(true);
        extra.setWrapText(true);
        extra.getStyleClass().add("call-path-log");
        extra.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // a WARN splat is read in full, not cut
        getChildren().addAll(heading, extra);
    }

    public void show(OpResult r) {
        if (r == null) {
            heading.setText("No operation yet.");
            if (frames != null) {
                frames.setItems(FXCollections.observableArrayList());
            }
            extra.setText("");
            return;
        }
        heading.setText(r.operation() + "  →  " + r.resultLabel());
        heading.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("refused"), !r.ok());
        frames().setItems(FXCollections.observableArrayList(r.frames()));
        StringBuilder sb = new StringBuilder();
        r.warnings().forEach(w -> sb.append(w).append('\n'));
        r.log().forEach(l -> sb.append("dmesg: ").append(l).append('\n'));
        extra.setText(sb.toString().strip());
    }

    /** After an undo: the machine is as it was before the operation, which has no call path of its own. */
    public void showUndone(String operation) {
        show(null);
        heading.setText("Undone: " + operation + ". The machine is as it was before it.");
    }

    public String headingText() {
        return heading.getText();
    }

    /** The functions of the call path, one a row (the list is made at the first call). */
    public ListView<Frame> frames() {
        if (frames == null) {
            frames = new ListView<>();
            frames.setId("call-path-frames");
            frames.setCellFactory(list -> new FrameCell());
            getChildren().add(1, frames);
            VBox.setVgrow(frames, javafx.scene.layout.Priority.ALWAYS);
        }
        return frames;
    }

    private static final class FrameCell extends ListCell<Frame> {
        @Override
        protected void updateItem(Frame f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText("  ".repeat(f.depth()) + f.function() + " → " + f.outcome()
                    + (f.reason().isEmpty() ? "" : "   " + f.reason()));
            // whole lines: a long reason wraps within the panel instead of running off its edge
            setWrapText(true);
            setPrefWidth(0);
            setTooltip(new Tooltip(f.reason()));
            pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("error"), f.outcome().startsWith("-"));
            pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("warn"), f.outcome().equals("WARN"));
        }
    }
}
