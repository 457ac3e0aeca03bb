package dev.iommufx.ui.panels;

import dev.iommufx.scenario.Step;
import dev.iommufx.ui.viewmodel.RecorderViewModel;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Record what you do as a scenario: annotate, delete and reorder steps, then save. */
public final class RecorderPanel extends VBox {
    private final RecorderViewModel recorder;
    private final ListView<Step> steps = new ListView<>();

    public RecorderPanel(RecorderViewModel recorder, Consumer<Void> save) {
        this.recorder = recorder;
        setId("recorder");
        ToggleButton record = new ToggleButton("● Record");
        record.setId("record");
        record.selectedProperty().addListener((o, was, now) -> {
            if (now && !recorder.recordingProperty().get()) {
                recorder.start("My recording");
            } else if (!now && recorder.recordingProperty().get()) {
                recorder.stop();
            }
        });
        record.setSelected(recorder.recordingProperty().get()); // a panel built while recording says so
        recorder.recordingProperty().addListener((o, was, now) -> record.setSelected(now));
        Button note = button("Note…", "record-note", this::editNote);
        Button delete = button("Delete", "record-delete", () -> withSelected(recorder::delete));
        Button up = button("Up", "record-up", () -> withSelected(i -> {
            if (i > 0) {
                recorder.move(i, i - 1);
                steps.getSelectionModel().select(i - 1);
            }
        }));
        Button down = button("Down", "record-down", () -> withSelected(i -> {
            if (i < recorder.steps().size() - 1) {
                recorder.move(i, i + 1);
                steps.getSelectionModel().select(i + 1);
            }
        }));
        Button saveButton = button("Save…", "record-save", () -> save.accept(null));
        Label hint = new Label("Recording starts the machine again from boot; every operation becomes a step.");
        hint.setWrapText(true);
        steps.setId("record-steps");
        steps.setItems(recorder.steps());
        steps.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Step s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : (getIndex() + 1) + ". " + s.describe() + "  →  "
                        + (s.expect() == null ? "" : s.expect().result()) + (s.note() == null ? "" : "\n   " + s.note()));
            }
        });
        getChildren().addAll(new ToolBar(record, note, delete, up, down, saveButton), hint, steps);
        VBox.setVgrow(steps, Priority.ALWAYS);
    }

    private void editNote() {
        withSelected(i -> {
            TextInputDialog d = new TextInputDialog(recorder.steps().get(i).note());
            d.setHeaderText("Narration for step " + (i + 1));
            d.initOwner(getScene().getWindow());
            d.showAndWait().ifPresent(text -> recorder.setNote(i, text));
        });
    }

    private void withSelected(Consumer<Integer> action) {
        int i = steps.getSelectionModel().getSelectedIndex();
        if (i >= 0) {
            action.accept(i);
        }
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }
}
