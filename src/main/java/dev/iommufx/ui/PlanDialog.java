package dev.iommufx.ui;

import dev.iommufx.io.AtomicFiles;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.ShellScriptExport;
import java.io.File;
import java.io.IOException;
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

    /** The devices whose driver the plan changes (moved or unbound), to mark on the graph while the user decides. */
    static java.util.Set<String> moving(Plan plan) {
        return plan.members().stream().filter(m -> m.action().changesDriver())
                .map(dev.iommufx.plan.MemberPlan::device).collect(java.util.stream.Collectors.toSet());
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
            boolean executable = AtomicFiles.writeScript(f.toPath(), ShellScriptExport.render(plan));
            w.status.setText("Wrote " + f + (executable ? "" : " (not marked executable: run it with sh)")
                    + ": review it, then run it as root on that machine; iommufx never runs it");
        } catch (IOException e) {
            w.status.setText("Not written: " + e.getMessage());
        }
    }
}
