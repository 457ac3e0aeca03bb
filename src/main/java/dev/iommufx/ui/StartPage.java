package dev.iommufx.ui;

import dev.iommufx.io.MachineFiles;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;

/**
 * The start page a newcomer meets at the first start (and Help → Start page): play the GPU story, open a tutorial
 * by its title, or look at their own machine (the collector, or a listing pasted from a terminal or a forum).
 */
final class StartPage {
    static final String GPU_STORY = "bundled:scenarios/workstation-gpu-passthrough.json";
    private static final String SHOW_AT_START = "startPage.showAtStart";
    private final MainWindow w;

    StartPage(MainWindow window) {
        this.w = window;
    }

    /** Whether the start page opens when the app starts: at the first start, and until the user says no. */
    static boolean showAtStart(Preferences prefs) {
        return prefs.getBoolean(SHOW_AT_START, true);
    }

    void show(Preferences prefs) {
        Stage stage = new Stage();
        stage.initOwner(w.stage());
        stage.initModality(Modality.NONE);
        stage.setTitle("Welcome to iommufx");

        Label title = new Label("What happens if I give this device to a VM?");
        title.setStyle("-fx-font-weight: bold; -fx-font-size: 1.5em");
        Label intro = new Label("iommufx simulates the Linux kernel's IOMMU groups and DMA ownership: drag a device "
                + "onto a driver and the kernel's bind path runs, with its call path and errno. Nothing touches your "
                + "machine.");
        intro.setWrapText(true);

        Button story = new Button("Play the GPU story");
        story.setId("start-gpu-story");
        story.setDefaultButton(true);
        story.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        story.setOnAction(e -> {
            stage.close();
            w.open(GPU_STORY);
        });
        Label storyText = new Label("A workstation's GPU to a VM, step by step: why the claim is refused while its "
                + "HDMI audio is on snd_hda_intel, and what fixes it. → and ← step.");
        storyText.setWrapText(true);

        ListView<Path> tutorials = new ListView<>();
        tutorials.setId("start-tutorials");
        w.bundled().list("scenarios").stream().filter(MachineFiles::isScenario).forEach(tutorials.getItems()::add);
        tutorials.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Path p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) {
                    setText(null);
                    return;
                }
                MachineFiles.Summary s = MachineFiles.summary(p);
                setText(s.title() + (s.line().isEmpty() ? "" : "\n    " + s.line()));
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        tutorials.setPrefHeight(190);
        Button openTutorial = new Button("Open the tutorial");
        openTutorial.setId("start-open-tutorial");
        openTutorial.disableProperty().bind(tutorials.getSelectionModel().selectedItemProperty().isNull());
        openTutorial.setOnAction(e -> {
            Path p = tutorials.getSelectionModel().getSelectedItem();
            stage.close();
            w.open(p);
        });

        Label mine = new Label("Your machine: run `sh collect-iommu-snapshot` on it (read-only; it never writes to "
                + "/sys) and open the .tar.gz it writes with File → Open — or paste what `lspci -nnk`, the "
                + "IOMMU-group loop or ls-iommu printed:");
        mine.setWrapText(true);
        TextArea paste = new TextArea();
        paste.setId("start-paste");
        paste.setPromptText("IOMMU Group 1:\n\t00:01.0 PCI bridge [0604]: Intel Corporation ... [8086:1901]");
        paste.setPrefRowCount(4);
        Button importIt = new Button("Import the listing");
        importIt.setId("start-import");
        importIt.disableProperty().bind(paste.textProperty().isEmpty());
        importIt.setOnAction(e -> {
            if (w.importText(paste.getText())) {
                stage.close();
            }
        });
        Button openFile = new Button("Open a file…");
        openFile.setOnAction(e -> {
            stage.close();
            w.chooseAndOpen();
        });

        CheckBox again = new CheckBox("Show this page when iommufx starts (Help → Start page shows it any time)");
        again.setSelected(showAtStart(prefs));
        again.selectedProperty().addListener((o, was, now) -> prefs.putBoolean(SHOW_AT_START, now));

        VBox box = new VBox(10, title, intro, section("Start here"), new HBox(12, story, storyText),
                section("Tutorials"), tutorials, openTutorial, section("Your own machine"), mine, paste,
                new HBox(8, importIt, openFile), again);
        HBox.setHgrow(storyText, Priority.ALWAYS);
        box.setPadding(new Insets(16));
        box.setPrefWidth(720);
        box.setId("start-page");
        javafx.scene.Scene scene = new javafx.scene.Scene(box);
        scene.getStylesheets().addAll(w.getScene() == null ? java.util.List.of() : w.getScene().getStylesheets());
        // Escape closes it, as it closes any dialog
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                stage.close();
                e.consume();
            }
        });
        stage.setScene(scene);
        stage.show();
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold; -fx-font-size: 1.1em");
        return l;
    }
}
