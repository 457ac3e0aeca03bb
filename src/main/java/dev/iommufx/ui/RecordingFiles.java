package dev.iommufx.ui;

import dev.iommufx.io.ScenarioWriter;
import dev.iommufx.scenario.Recording;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * The recording on disk: kept after each change (the autosave), saved where the user says, offered back after a
 * crash. While the autosave fails the status bar keeps saying so, after whatever else it shows.
 */
final class RecordingFiles {
    private static final String NOT_KEPT = " — the recording is not kept on disk (";
    private final MachineViewModel machine;
    private final Stage stage;
    private final Label status;
    private final Autosave autosave;
    /** Called once a recording left by a crash goes on: the window shows the recording. */
    private final Runnable showRecording;
    /** Why the recording in progress is not kept on disk, or null while it is. */
    private String problem;

    RecordingFiles(MachineViewModel machine, Stage stage, Label status, Autosave autosave, Runnable showRecording) {
        this.machine = machine;
        this.stage = stage;
        this.status = status;
        this.autosave = autosave;
        this.showRecording = showRecording;
        machine.recorder().revisionProperty().addListener((o, was, now) -> keep(machine.recorder().recording()));
    }

    /** Asks where, then saves. */
    void save() {
        if (machine.recorder().recording() == null) {
            status.setText("Nothing recorded yet: press Record first.");
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the recording");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("iommufx scenario", "*.json"));
        File f = chooser.showSaveDialog(stage);
        if (f != null) {
            saveTo(f.toPath());
        }
    }

    /** Saves atomically; the autosave is no longer needed once the recording is safely in its file. */
    boolean saveTo(Path file) {
        try {
            ScenarioWriter.write(machine.recorder().recording().toScenario(), file);
            autosave.discard();
            status.setText("Saved " + file);
            return true;
        } catch (IOException e) {
            status.setText("Not saved: " + e.getMessage());
            return false;
        }
    }

    /**
     * Keeps the recording on disk after each change; when that fails the user hears it once (and again after it
     * worked in between), since the recording would not survive a crash.
     */
    private void keep(Recording r) {
        String now = autosave.save(r);
        if (now != null && problem == null) {
            Notifications.create().owner(stage).title("Recording not kept on disk")
                    .text(autosave.file() + ": " + now + "\nIt would be lost in a crash: save it yourself.")
                    .hideAfter(Duration.seconds(10)).showWarning();
        }
        problem = now == null ? null : autosave.file() + ": " + now;
        showProblem();
    }

    /** The status bar keeps saying it while autosave fails, after whatever else it shows. */
    void showProblem() {
        String text = status.getText();
        int at = text.indexOf(NOT_KEPT);
        String base = at < 0 ? text : text.substring(0, at);
        status.setText(problem == null ? base : base + NOT_KEPT + problem + "): it would be lost in a crash");
    }

    /** At start: a recording left by a crash is offered back. */
    void offerToRestore() {
        Recording left = autosave.restore();
        if (left == null) {
            return;
        }
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "A recording of " + left.steps().size()
                + " steps was in progress when iommufx last stopped. Restore it?", ButtonType.YES, ButtonType.NO);
        ask.initOwner(stage);
        ask.setHeaderText("Restore the recording in progress?");
        ask.showAndWait().ifPresent(b -> {
            if (b == ButtonType.YES) {
                restore(left);
            } else {
                autosave.discard();
            }
        });
    }

    void restore(Recording left) {
        machine.recorder().resume(left);
        showRecording.run();
        status.setText("Restored a recording of " + left.steps().size() + " steps; recording goes on.");
    }
}
