package dev.iommufx.ui;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Profile;
import dev.iommufx.ui.graph.GroupBox;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/**
 * The search ({@link SearchBar}), VM, undo/redo and fit buttons, the kernel profile, and the legend of the four
 * group states.
 */
final class ToolBarBuilder {
    private final MainWindow w;

    ToolBarBuilder(MainWindow window) {
        this.w = window;
    }

    ToolBar build() {
        Button addVm = new Button("Add VM");
        addVm.setId("add-vm");
        addVm.setOnAction(e -> w.machine.addVm());
        Button undo = new Button("Undo");
        undo.disableProperty().bind(w.machine.history().canUndoProperty().not());
        undo.setOnAction(e -> w.machine.history().undo());
        Button redo = new Button("Redo");
        redo.disableProperty().bind(w.machine.history().canRedoProperty().not());
        redo.setOnAction(e -> w.machine.history().redo());
        Button fit = new Button("Fit");
        fit.setOnAction(e -> w.fitView());
        ToolBar bar = new ToolBar();
        bar.getItems().addAll(new SearchBar(w).build());
        bar.getItems().addAll(new Separator(), addVm, undo, redo, fit, new Separator(), kernelSelector(),
                new Separator(), legend());
        bar.setId("tool-bar");
        return bar;
    }

    /** "Kernel:" and the profiles, following the view-model's profile both ways (Alt+K focuses it). */
    private HBox kernelSelector() {
        ComboBox<Profile> combo = new ComboBox<>(FXCollections.observableArrayList(Profile.values()));
        combo.setId("kernel-profile");
        combo.setValue(w.machine.profile());
        combo.setCellFactory(l -> new ProfileCell());
        combo.setAccessibleText("Kernel profile: the kernel version whose ownership rules the machine follows");
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(combo.valueProperty().map(Profile::title));
        combo.setTooltip(tip);
        combo.valueProperty().addListener((o, was, now) -> choose(combo, now));
        // a recording is answered by one kernel: switching would mix two machines in one file
        combo.disableProperty().bind(w.machine.recorder().recordingProperty());
        w.machine.profileProperty().addListener((o, was, now) -> combo.setValue(now));
        Label label = new Label("_Kernel:");
        label.setMnemonicParsing(true);
        label.setLabelFor(combo);
        HBox box = new HBox(4, label, combo);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** A choice made in the combo: switches at once, or after the user agrees to lose the undo history. */
    private void choose(ComboBox<Profile> combo, Profile p) {
        if (p == null || p == w.machine.profile()) {
            return;
        }
        if (!w.machine.history().canUndoProperty().get()) {
            w.machine.setProfile(p);
            return;
        }
        // asked once the combo has finished its own selection, not from inside its change notification
        Platform.runLater(() -> {
            if (combo.getValue() == p && confirmRestart(p)) {
                w.machine.setProfile(p);
            } else {
                combo.setValue(w.machine.profile());
            }
        });
    }

    private boolean confirmRestart(Profile p) {
        int n = w.machine.history().sizeProperty().get();
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Switching to " + p.key()
                + (w.machine.player().isOpen() ? " restarts the scenario from its first step under the new "
                + "rules; the steps played so far are discarded." : " restarts the machine from boot; your " + n
                + (n == 1 ? " operation is" : " operations are") + " discarded."), ButtonType.OK, ButtonType.CANCEL);
        ask.initOwner(w.stage());
        ask.setTitle("Switch the kernel profile");
        ask.setHeaderText("Restart the machine under " + p.title() + "?");
        ask.getDialogPane().setId("profile-switch");
        return ask.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** A profile in the drop-down: its key, with its full title as the tooltip. */
    private static final class ProfileCell extends ListCell<Profile> {
        @Override
        protected void updateItem(Profile p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? null : p.key());
            setTooltip(empty || p == null ? null : new Tooltip(p.title()));
        }
    }

    private HBox legend() {
        HBox box = new HBox(10);
        box.setId("legend");
        for (GroupState s : GroupState.values()) {
            Region swatch = new Region();
            swatch.getStyleClass().addAll("legend-swatch", "group-body");
            swatch.pseudoClassStateChanged(GroupBox.pseudoClass(s), true);
            swatch.setPrefSize(22, 14);
            Label l = new Label(s.label(), swatch);
            l.setTooltip(new Tooltip(meaning(s)));
            box.getChildren().add(l);
        }
        return box;
    }

    static String meaning(GroupState s) {
        return switch (s) {
            case DEFAULT_DOMAIN -> "no DMA owner; on the default domain (or platform DMA ops)";
            case DMA_API_OWNED -> "kernel drivers use the DMA API (owner_cnt > 0): a VFIO claim gets EPERM";
            case BLOCKED -> "claimed by a user and on the blocking domain: no DMA; kernel drivers get EBUSY";
            case USER_CLAIMED -> "claimed by a user (a VM) with its own domain attached (v7-series: or detached, "
                    + "on no domain at all)";
        };
    }
}
