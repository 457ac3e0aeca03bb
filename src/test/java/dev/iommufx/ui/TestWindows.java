package dev.iommufx.ui;

import dev.iommufx.ui.vm.MachineViewModel;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The window as the UI tests show it: the default machine, the app's stylesheet, a private autosave folder. */
final class TestWindows {
    private TestWindows() {
    }

    static MainWindow show(Stage stage, MachineViewModel vm, Path autosaveDir) {
        vm.load(IommufxApp.defaultTopologyOrNull());
        MainWindow window = new MainWindow(vm, stage,
                new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")), new Autosave(autosaveDir));
        Scene scene = new Scene(window, 1500, 950);
        scene.getStylesheets().add(IommufxApp.class.getResource(IommufxApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
        window.graph().rebuild();
        return window;
    }
}
