package dev.iommufx.ui;

import dev.iommufx.engine.GroupState;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;

/** File, Edit, View, Selection, Machine and Help menus; every action has a keyboard path. */
final class MenuBarBuilder {
    private final MainWindow w;
    private final ProfilesDialog profiles;

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
                item("Open the bundled _workstation", null, () -> w.vm.load(IommufxApp.defaultTopologyOrNull())),
                new SeparatorMenuItem(), item("_Quit", "Shortcut+Q", () -> w.stage().close()));
        file.setOnShowing(e -> {
            recent.getItems().clear();
            for (Path p : w.recent().list()) {
                recent.getItems().add(item(p.toString(), null, () -> w.open(p)));
            }
            recent.setDisable(recent.getItems().isEmpty());
        });
        return file;
    }

    private Menu edit() {
        MenuItem undo = item("_Undo", "Shortcut+Z", w.vm::undo);
        undo.setId("menu-undo");
        undo.disableProperty().bind(w.vm.canUndoProperty().not());
        MenuItem redo = item("_Redo", "Shortcut+Shift+Z", w.vm::redo);
        redo.setId("menu-redo");
        redo.disableProperty().bind(w.vm.canRedoProperty().not());
        return new Menu("_Edit", null, undo, redo);
    }

    private Menu view() {
        MenuItem compare = item("Compare _kernel profiles…", null, profiles::show);
        compare.setId("menu-profiles");
        return new Menu("_View", null,
                item("Zoom _in", "Shortcut+EQUALS", () -> w.graph.viewport().zoomBy(1.25)),
                item("Zoom _out", "Shortcut+MINUS", () -> w.graph.viewport().zoomBy(0.8)),
                item("_Fit to window", "Shortcut+0", () -> w.graph.viewport().fit()),
                item("_Find a device…", "Shortcut+F", () -> w.lookup("#search").requestFocus()),
                new SeparatorMenuItem(), compare);
    }

    /** The actions of the current selection, rebuilt each time the menu opens. */
    private Menu selection() {
        Menu m = new Menu("_Selection");
        m.setId("menu-selection");
        m.getItems().add(new MenuItem("(select something)"));
        m.setOnShowing(e -> m.getItems().setAll(w.actions.forSelection(w.vm.selectionProperty().get())));
        return m;
    }

    private Menu machine() {
        MenuItem addVm = item("Add a _VM", "Shortcut+Shift+N", w.vm::addVm);
        addVm.setId("menu-add-vm");
        return new Menu("_Machine", null, addVm, item("_Rescan the PCI bus", null, w.vm::rescan));
    }

    /** A menu of bundled scenario files, each opening in the player. */
    private Menu scenarioMenu(String title, String id, List<Path> files) {
        Menu menu = new Menu(title);
        menu.setId(id);
        for (Path p : files) {
            MenuItem m = item(p.getFileName().toString().replace(".json", ""), null, () -> w.openTutorial(p));
            m.setMnemonicParsing(false);
            menu.getItems().add(m);
        }
        menu.setDisable(menu.getItems().isEmpty());
        return menu;
    }

    private Menu help() {
        StringBuilder legend = new StringBuilder();
        for (GroupState s : GroupState.values()) {
            legend.append(s.label()).append(": ").append(ToolBarBuilder.meaning(s)).append("\n");
        }
        Menu tutorials = scenarioMenu("_Tutorials", "menu-tutorials", BundledScenarios.list());
        Menu history = scenarioMenu("Kernel _history", "menu-history", BundledScenarios.history());
        return new Menu("_Help", null, tutorials, history, item("_Group states", null, () -> {
            javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION,
                    legend.toString());
            a.setHeaderText("What the colours mean");
            a.initOwner(w.stage());
            a.show();
        }));
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
