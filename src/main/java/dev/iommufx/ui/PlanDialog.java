package dev.iommufx.ui;

import dev.iommufx.io.AtomicFiles;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.PlanOutput;
import dev.iommufx.boot.PersistConfig;
import dev.iommufx.model.boot.Initramfs;
import javafx.collections.FXCollections;
import javafx.scene.control.ChoiceBox;
import dev.iommufx.ui.viewmodel.PlanViewModel;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;

/**
 * "Give this device to a VM": the plan (which members of its group must leave their drivers, which need not,
 * and warnings in plain words), to apply in the simulator, and every form it can be written in (the runtime
 * script, the way back, libvirt, Proxmox, QEMU), each in a tab with Copy and Save.
 */
final class PlanDialog {
    static final ButtonType APPLY = new ButtonType("Apply in the simulator", ButtonBar.ButtonData.OK_DONE);
    private final MainWindow w;
    private final PlanViewModel plans;

    PlanDialog(MainWindow window, PlanViewModel plans) {
        this.w = window;
        this.plans = plans;
    }

    void show(String device) {
        Plan plan = plans.plan(device);
        TabPane tabs = new TabPane(new Tab("Plan", text(plan.describe(), false)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("plan-tabs");
        for (PlanOutput o : PlanOutput.values()) {
            Tab tab = new Tab(o.title(), outputPane(plan, o));
            tab.setId("plan-tab-" + o.key());
            tabs.getTabs().add(tab);
        }
        tabs.setPrefSize(820, 440);
        Alert a = new Alert(Alert.AlertType.NONE, "", APPLY, ButtonType.CLOSE);
        a.initOwner(w.stage());
        a.setTitle("Give " + device + " to a VM");
        a.setHeaderText(plan.feasible() ? "What it takes to give " + device + " to " + plan.vm()
                : "This cannot work as it is: see the refusals below");
        a.getDialogPane().setContent(tabs);
        a.getDialogPane().setId("plan-dialog");
        a.setResizable(true);
        a.getDialogPane().lookupButton(APPLY).setDisable(!plan.feasible());
        w.graph.preview(moving(plan));
        a.setOnHidden(e -> w.graph.preview(java.util.Set.of()));
        a.showAndWait().ifPresent(b -> {
            if (b == APPLY) {
                plans.apply(plan);
            }
        });
    }

    private static TextArea text(String content, boolean monospace) {
        TextArea area = new TextArea(content);
        area.setEditable(false);
        area.setWrapText(!monospace);
        if (monospace) {
            area.getStyleClass().add("plan-output");
        }
        return area;
    }

    /** One form of the plan: what it is for, the text, and Copy / Save. */
    private BorderPane outputPane(Plan plan, PlanOutput output) {
        ChoiceBox<PersistConfig.Style> style = new ChoiceBox<>(FXCollections.observableArrayList(
                PersistConfig.Style.values()));
        style.setValue(PersistConfig.Style.MODPROBE);
        style.setId("persist-style");
        ChoiceBox<Initramfs.Generator> initramfs = new ChoiceBox<>(FXCollections.observableArrayList(
                Initramfs.Generator.INITRAMFS_TOOLS, Initramfs.Generator.DRACUT, Initramfs.Generator.MKINITCPIO));
        initramfs.setValue(Initramfs.Generator.INITRAMFS_TOOLS);
        initramfs.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Initramfs.Generator g) {
                return g == null ? "" : g.title();
            }

            @Override
            public Initramfs.Generator fromString(String s) {
                return null;
            }
        });
        TextArea area = text("", true);
        Label about = new Label(output.summary() + (output.isScript() ? "; iommufx never runs it" : ""));
        about.setWrapText(true);
        Runnable render = () -> {
            area.setText(plans.render(plan, output, style.getValue(), initramfs.getValue()));
            if (output == PlanOutput.PERSIST) {
                about.setText(plans.refuses(area.getText())
                        ? "A simulated boot with this configuration does not end as the plan wants: see why below"
                        : "Checked by booting the simulated machine with it; iommufx never runs it");
            }
        };
        style.setOnAction(e -> render.run());
        initramfs.setOnAction(e -> render.run());
        render.run();
        Button copy = new Button("Copy");
        copy.setId("copy-" + output.key());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(area.getText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            w.status.setText("Copied the " + output.title() + " form of the plan");
        });
        Button save = new Button("Save…");
        save.setOnAction(e -> save(output, area.getText()));
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = output == PlanOutput.PERSIST ? new HBox(8, about, gap, style, initramfs, copy, save)
                : new HBox(8, about, gap, copy, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 6, 0));
        BorderPane pane = new BorderPane(area);
        pane.setTop(bar);
        return pane;
    }

    /** The devices whose driver the plan changes (moved or unbound), to mark on the graph while the user decides. */
    static java.util.Set<String> moving(Plan plan) {
        return plan.members().stream().filter(m -> m.action().changesDriver())
                .map(dev.iommufx.plan.MemberPlan::device).collect(java.util.stream.Collectors.toSet());
    }

    private void save(PlanOutput output, String content) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the " + output.title() + " form of the plan");
        chooser.setInitialFileName(switch (output) {
            case SCRIPT -> "iommufx-passthrough.sh";
            case PERSIST -> "iommufx-persist.sh";
            case REVERT -> "iommufx-revert.sh";
            case LIBVIRT -> "iommufx-hostdevs.xml";
            case PROXMOX -> "iommufx-proxmox.sh";
            case QEMU -> "iommufx-qemu-args.txt";
        });
        File f = chooser.showSaveDialog(w.stage());
        if (f == null) {
            return;
        }
        try {
            boolean executable = true;
            if (output.isScript()) {
                executable = AtomicFiles.writeScript(f.toPath(), content);
            } else {
                AtomicFiles.write(f.toPath(), content.getBytes(StandardCharsets.UTF_8));
            }
            w.status.setText("Wrote " + f + (executable ? "" : " (not marked executable: run it with sh)")
                    + (output.isScript() ? ": review it, then run it as root on that machine; iommufx never runs it"
                    : ""));
        } catch (IOException e) {
            w.status.setText("Not written: " + e.getMessage());
        }
    }
}
