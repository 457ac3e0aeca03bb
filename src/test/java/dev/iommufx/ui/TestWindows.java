package dev.iommufx.ui;

import dev.iommufx.io.BundledFiles;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The window as the UI tests show it: the default machine, the app's stylesheet, a private autosave folder. */
final class TestWindows {
    private TestWindows() {
    }

    static MainWindow show(Stage stage, MachineViewModel machine, Path autosaveDir) {
        return show(stage, machine, autosaveDir, BundledFiles.APP);
    }

    /** The window finding its bundled files where the given bundle has them (a jar, as the installed app does). */
    static MainWindow show(Stage stage, MachineViewModel machine, Path autosaveDir, BundledFiles bundled) {
        machine.load(IommufxApp.defaultTopology());
        MainWindow window = new MainWindow(machine, stage,
                new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")), new Autosave(autosaveDir),
                bundled);
        Scene scene = new Scene(window, 1500, 950);
        scene.getStylesheets().add(IommufxApp.class.getResource(IommufxApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
        window.graph().rebuild();
        return window;
    }
}
