package dev.iommufx.ui;

import dev.iommufx.ui.viewmodel.BootViewModel;
import java.io.File;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

/**
 * "Boot with a configuration…": the boot configuration's files, one tab each at its path on the machine, edited
 * here or taken from a directory holding a copy of the machine's; Boot shows which driver each device ends on and
 * why, and the classic mistakes; "Show this machine" puts the booted machine in the window.
 */
final class BootDialog {
    static final ButtonType SHOW = new ButtonType("Show this machine", ButtonBar.ButtonData.OK_DONE);
    private final MainWindow w;
    private final BootViewModel boots;

    BootDialog(MainWindow window, BootViewModel boots) {
        this.w = window;
        this.boots = boots;
    }

    void show() {
        TabPane files = new TabPane();
        files.setId("boot-files");
        files.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        fill(files);
        Button open = new Button("Take a directory's files…");
        open.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("A directory holding a copy of the machine's etc/modprobe.d, etc/kernel/cmdline ...");
            File dir = chooser.showDialog(w.stage());
            if (dir != null) {
                boots.loadDirectory(dir.toPath());
                fill(files);
            }
        });
        Button boot = new Button("_Boot");
        boot.setId("boot-run");
        Label problem = new Label();
        problem.setId("boot-problem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
        problem.textProperty().bind(boots.problemProperty());
        Label hint = new Label("Each tab is a file at its path on the machine (under /etc); an empty tab is no file.");
        hint.setWrapText(true);
        VBox left = new VBox(6, hint, files, new HBox(8, open, boot), problem);
        VBox.setVgrow(files, javafx.scene.layout.Priority.ALWAYS);
        left.setPadding(new Insets(0, 6, 0, 0));

        TableView<BootViewModel.Row> table = new TableView<>(boots.rows());
        table.setId("boot-rows");
        table.getColumns().add(column("Device", BootViewModel.Row::device, 100));
        table.getColumns().add(column("", BootViewModel.Row::label, 170));
        table.getColumns().add(column("Driver", BootViewModel.Row::driver, 95));
        table.getColumns().add(column("Bound at", BootViewModel.Row::stage, 160));
        table.getColumns().add(column("By", BootViewModel.Row::rule, 130));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.setPlaceholder(new Label("Boot to see which driver wins each device"));
        ListView<String> warnings = new ListView<>(boots.warnings());
        warnings.setId("boot-warnings");
        warnings.setPlaceholder(new Label("No warnings"));
        warnings.setCellFactory(list -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        SplitPane right = new SplitPane(table, warnings);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.62);
        SplitPane content = new SplitPane(left, right);
        content.setDividerPositions(0.32);
        content.setPrefSize(1340, 640);

        Alert a = new Alert(Alert.AlertType.NONE, "", SHOW, ButtonType.CLOSE);
        a.initOwner(w.stage());
        a.setTitle("Boot with a configuration");
        a.setHeaderText("The machine booted with these files: the built-in drivers, the initramfs, udev's coldplug, "
                + "systemd-modules-load and driverctl, in the kernel's order");
        a.getDialogPane().setContent(content);
        a.getDialogPane().setId("boot-dialog");
        a.setResizable(true);
        Button showButton = (Button) a.getDialogPane().lookupButton(SHOW);
        showButton.setDisable(true);
        boot.setOnAction(e -> showButton.setDisable(!boots.boot()));
        a.showAndWait().ifPresent(b -> {
            if (b == SHOW && boots.canShow()) {
                boots.show();
                w.status.setText("The machine as the boot configuration leaves it");
            }
        });
    }

    /** One tab per file; what is typed goes to the view-model at once. */
    private void fill(TabPane tabs) {
        tabs.getTabs().clear();
        for (Map.Entry<String, String> f : boots.files().entrySet()) {
            TextArea text = new TextArea(f.getValue());
            text.getStyleClass().add("plan-output");
            text.setId("boot-file-" + f.getKey().replace('/', '-').replace('.', '-'));
            text.textProperty().addListener((o, was, now) -> boots.files().put(f.getKey(), now));
            Tab tab = new Tab(f.getKey().startsWith("etc/") ? f.getKey().substring(4) : f.getKey(), text);
            tab.setTooltip(new javafx.scene.control.Tooltip("/" + f.getKey()));
            tabs.getTabs().add(tab);
        }
    }

    private static TableColumn<BootViewModel.Row, String> column(String title,
            java.util.function.Function<BootViewModel.Row, String> value, double width) {
        TableColumn<BootViewModel.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
