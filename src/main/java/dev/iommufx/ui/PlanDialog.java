package dev.iommufx.ui;

import dev.iommufx.io.AtomicFiles;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.ShellScriptExport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.stage.FileChooser;

/**
 * "Give this device to a VM": the plan (which members of its group must leave their drivers, which need not,
 * and warnings in plain words), to apply in the simulator or to export as a script for the real machine.
 */
final class PlanDialog {
    static final ButtonType APPLY = new ButtonType("Apply in the simulator", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType EXPORT = new ButtonType("Export script…", ButtonBar.ButtonData.OTHER);
    private final MainWindow w;

    PlanDialog(MainWindow window) {
        this.w = window;
    }

    void show(String device) {
        Plan plan = PassthroughPlanner.plan(w.vm.kernel(), List.of(device));
        TextArea text = new TextArea(plan.describe());
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefSize(760, 360);
        Alert a = new Alert(Alert.AlertType.NONE, "", APPLY, EXPORT, ButtonType.CANCEL);
        a.initOwner(w.stage());
        a.setTitle("Give " + device + " to a VM");
        a.setHeaderText(plan.feasible() ? "What it takes to give " + device + " to " + plan.vm()
                : "This cannot work as it is: see the refusals below");
        a.getDialogPane().setContent(text);
        a.getDialogPane().setId("plan-dialog");
        a.getDialogPane().lookupButton(APPLY).setDisable(!plan.feasible());
        w.graph.preview(moving(plan));
        a.setOnHidden(e -> w.graph.preview(java.util.Set.of()));
        a.showAndWait().ifPresent(b -> {
            if (b == APPLY) {
                w.vm.performAll(plan.steps());
            } else if (b == EXPORT) {
                export(plan);
            }
        });
    }

    /** The devices the plan moves to another driver, to mark on the graph while the user decides. */
    static java.util.Set<String> moving(Plan plan) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        plan.steps().stream().filter(s -> s.kind() == dev.iommufx.scenario.StepKind.MOVE)
                .forEach(s -> ids.add(s.string("device")));
        return ids;
    }

    private void export(Plan plan) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the passthrough script");
        chooser.setInitialFileName("iommufx-passthrough.sh");
        File f = chooser.showSaveDialog(w.stage());
        if (f == null) {
            return;
        }
        try {
            AtomicFiles.write(f.toPath(), ShellScriptExport.render(plan).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(f.toPath(), PosixFilePermissions.fromString("rwx------"));
            w.status.setText("Wrote " + f + ": review it, then run it as root on that machine; iommufx never runs it");
        } catch (IOException | UnsupportedOperationException e) {
            w.status.setText("Not written: " + e.getMessage());
        }
    }
}
