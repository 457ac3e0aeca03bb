package dev.iommufx.ui;

import dev.iommufx.io.MachineFiles;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.VBox;

/** File, Edit, View, Selection, Machine and Help menus; every action has a keyboard path. */
final class MenuBarBuilder {
    /** Summaries wrap at this width, so that a menu of lessons stays narrower than the window. */
    private static final double SUMMARY_WIDTH = 460;
    private final MainWindow w;
    private final ProfilesDialog profiles;
    /** The lesson menus still to fill. */
    private final List<Runnable> lessons = new java.util.ArrayList<>();

    MenuBarBuilder(MainWindow window) {
        this.w = window;
        this.profiles = new ProfilesDialog(window);
    }

    MenuBar build() {
        MenuBar bar = new MenuBar(file(), edit(), view(), selection(), machine(), help());
        bar.setId("menu-bar");
        return bar;
    }

    private Menu file() {
        Menu recent = new Menu("Open _Recent");
        Menu file = new Menu("_File", null, item("_Open…", "Shortcut+O", w::chooseAndOpen), recent,
                item("Open the bundled _workstation", null, () -> w.machine.load(IommufxApp.defaultTopology())),
                new SeparatorMenuItem(), saveMachine(), exportPicture(), new SeparatorMenuItem(), item("_Quit", "Shortcut+Q", () -> w.stage().close()));
        file.setOnShowing(e -> {
            recent.getItems().clear();
            for (String name : w.recent().list()) {
                MenuItem m = item(name, null, () -> w.open(name));
                m.setMnemonicParsing(false);
                recent.getItems().add(m);
            }
            recent.setDisable(recent.getItems().isEmpty());
        });
        return file;
    }

    /** File → Save machine as…: an imported listing, snapshot or XML kept as an iommufx topology. */
    private MenuItem saveMachine() {
        MenuItem m = item("_Save machine as…", "Shortcut+Shift+S", () -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Save the machine as an iommufx topology");
            chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("iommufx topology", "*.json"));
            chooser.setInitialFileName(w.machine.files().suggestedName());
            java.io.File f = chooser.showSaveDialog(w.stage());
            if (f != null) {
                w.saveMachineTo(f.toPath());
            }
        });
        m.setId("menu-save-machine");
        return m;
    }

    /** File → Export picture…: the whole machine with its legend, PNG or SVG by the name's extension. */
    private MenuItem exportPicture() {
        MenuItem m = item("_Export picture…", "Shortcut+E", () -> {
            javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Export a picture of the machine");
            chooser.getExtensionFilters().addAll(
                    new javafx.stage.FileChooser.ExtensionFilter("PNG picture", "*.png"),
                    new javafx.stage.FileChooser.ExtensionFilter("SVG picture (sharp at any zoom)", "*.svg"));
            chooser.setInitialFileName("iommu-groups.png");
            java.io.File f = chooser.showSaveDialog(w.stage());
            if (f != null) {
                try {
                    w.status.setText(w.machine.pictures().export(f.toPath()));
                } catch (java.io.IOException e) {
                    w.status.setText("Not saved: " + e.getMessage());
                }
            }
        });
        m.setId("menu-export-picture");
        return m;
    }

    private Menu edit() {
        MenuItem undo = item("_Undo", "Shortcut+Z", w.machine.history()::undo);
        undo.setId("menu-undo");
        undo.disableProperty().bind(w.machine.history().canUndoProperty().not());
        MenuItem redo = item("_Redo", "Shortcut+Shift+Z", w.machine.history()::redo);
        redo.setId("menu-redo");
        redo.disableProperty().bind(w.machine.history().canRedoProperty().not());
        MenuItem copy = item("_Copy groups as text", "Shortcut+Shift+C", () -> {
            javafx.scene.input.ClipboardContent c = new javafx.scene.input.ClipboardContent();
            c.putString(w.machine.pictures().groupListing());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            w.status.setText("Copied the groups as the usual forum listing (IOMMU Group N: ...)");
        });
        copy.setId("menu-copy-groups");
        return new Menu("_Edit", null, undo, redo, new SeparatorMenuItem(), copy);
    }

    private Menu view() {
        MenuItem compare = item("Compare _kernel profiles…", null, profiles::show);
        compare.setId("menu-profiles");
        javafx.scene.control.CheckMenuItem overview = new javafx.scene.control.CheckMenuItem(
                "_Overview of the whole machine");
        overview.setId("menu-overview");
        overview.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+O"));
        overview.selectedProperty().bindBidirectional(w.machine.overview().shownProperty());
        return new Menu("_View", null, overview, new SeparatorMenuItem(),
                item("Zoom _in", "Shortcut+EQUALS", () -> w.zoomBy(1.25)),
                item("Zoom _out", "Shortcut+MINUS", () -> w.zoomBy(0.8)),
                item("_Fit to window", "Shortcut+0", w::fitView),
                item("_Find devices…", "Shortcut+F", this::focusSearch),
                new SeparatorMenuItem(), compare);
    }

    /** Into the search field, its text selected: what is typed next replaces the last query. */
    private void focusSearch() {
        javafx.scene.control.TextField field = (javafx.scene.control.TextField) w.lookup("#search");
        field.requestFocus();
        field.selectAll();
    }

    /** The actions of the current selection, rebuilt each time the menu opens. */
    private Menu selection() {
        Menu m = new Menu("_Selection");
        m.setId("menu-selection");
        m.getItems().add(new MenuItem("(select something)"));
        m.setOnShowing(e -> m.getItems().setAll(w.actions.forSelection(w.machine.selectionProperty().get())));
        return m;
    }

    private Menu machine() {
        MenuItem addVm = item("Add a _VM", "Shortcut+Shift+N", w.machine::addVm);
        addVm.setId("menu-add-vm");
        MenuItem boot = item("_Boot with a configuration…", "Shortcut+B",
                () -> new BootDialog(w, w.machine.boots()).show());
        boot.setId("menu-boot");
        return new Menu("_Machine", null, addVm, item("_Rescan the PCI bus", null, w.machine::rescan), boot);
    }

    /**
     * A menu of one bundled folder's scenarios, each by its title over its first sentence, opening in the player
     * exactly as File → Open would (through the jar's own paths).
     */
    private Menu scenarioMenu(String title, String id, String... folders) {
        Menu menu = new Menu(title);
        menu.setId(id);
        // filled once the window has drawn its first frame (reading every lesson's summary takes a tenth of the
        // start), or when the Help menu opens before that
        lessons.add(() -> {
            for (String folder : folders) {
                for (Path p : w.bundled().list(folder)) {
                    if (MachineFiles.isScenario(p)) {
                        menu.getItems().add(scenarioItem(p, id + "-" + p.getFileName().toString().replace(".json", "")));
                    }
                }
            }
            menu.setDisable(menu.getItems().isEmpty());
        });
        return menu;
    }

    /** Fills the lesson menus, once; the window calls it after its first frame. */
    void fillLessons() {
        List<Runnable> now = List.copyOf(lessons);
        lessons.clear();
        now.forEach(Runnable::run);
    }

    /** The scenario's title, and below it in smaller type what it teaches. */
    private MenuItem scenarioItem(Path file, String id) {
        MachineFiles.Summary about = MachineFiles.summary(file);
        Label heading = new Label(about.title());
        heading.getStyleClass().add("menu-title");
        VBox box = new VBox(heading);
        if (!about.line().isEmpty()) {
            Label line = new Label(about.line());
            line.getStyleClass().add("menu-summary");
            line.setWrapText(true);
            line.setMaxWidth(SUMMARY_WIDTH);
            line.setPrefWidth(SUMMARY_WIDTH);
            box.getChildren().add(line);
        }
        CustomMenuItem item = new CustomMenuItem(box, true);
        item.setId(id);
        item.setText(about.title());
        item.setOnAction(e -> w.open(file));
        return item;
    }

    private Menu help() {
        HelpDialogs dialogs = new HelpDialogs(w);
        Menu tutorials = scenarioMenu("_Tutorials", "menu-tutorials", "scenarios");
        Menu history = scenarioMenu("Kernel _history", "menu-history", "scenarios/history");
        Menu field = scenarioMenu("_Field lessons", "menu-field", "scenarios/field", "scenarios/boot");
        MenuItem states = item("_Group states", null, dialogs::groupStates);
        states.setId("menu-group-states");
        MenuItem keys = item("_Keyboard shortcuts", null, dialogs::shortcuts);
        keys.setId("menu-shortcuts");
        MenuItem start = item("_Start page", null, () -> new StartPage(w).show(w.preferences()));
        start.setId("menu-start-page");
        MenuItem about = item("_About iommufx", null, dialogs::about);
        about.setId("menu-about");
        Menu help = new Menu("_Help", null, start, tutorials, field, history, new SeparatorMenuItem(), states, keys,
                about);
        help.setOnShowing(e -> fillLessons());
        return help;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setMnemonicParsing(true);
        if (accelerator != null) {
            m.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        m.setOnAction(e -> action.run());
        return m;
    }
}
