package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Profile;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Help → Group states (with the colours), Keyboard shortcuts and About, opened from the menu. */
@ExtendWith(ApplicationExtension.class)
class HelpDialogsTest {
    @Start
    void start(Stage stage) {
        MachineViewModel machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        MainWindow window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot()
                .node("dev/iommufx/test-recent")));
        Scene scene = new Scene(window, 1400, 900);
        scene.getStylesheets().add(IommufxApp.class.getResource(IommufxApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    private Node open(FxRobot robot, String item, String dialog) throws Exception {
        robot.clickOn("Help").clickOn(item);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#" + dialog).tryQuery().isPresent());
        return robot.lookup("#" + dialog).query();
    }

    private static String texts(FxRobot robot, Node root) {
        StringBuilder sb = new StringBuilder();
        robot.from(root).lookup((Node n) -> n instanceof Label).queryAllAs(Label.class)
                .forEach(l -> sb.append(l.getText()).append('\n'));
        return sb.toString();
    }

    @Test
    void groupStatesShowEachColourBesideItsMeaning(FxRobot robot) throws Exception {
        Node pane = open(robot, "Group states", "help-group-states");
        var swatches = robot.from(pane).lookup(".legend-swatch").queryAll();
        assertThat(swatches).hasSize(4);
        assertThat(swatches).allMatch(n -> !n.getPseudoClassStates().isEmpty());
        assertThat(swatches.stream().map(n -> n.getPseudoClassStates().toString()).distinct()).hasSize(4);
        assertThat(texts(robot, pane)).contains("owner_cnt > 0", "EBUSY");
    }

    @Test
    void shortcutsAndAboutSayWhatTheyShould(FxRobot robot) throws Exception {
        assertThat(texts(robot, open(robot, "Keyboard shortcuts", "help-shortcuts"))).contains("Ctrl+B", "Ctrl+F");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        String about = texts(robot, open(robot, "About iommufx", "help-about"));
        assertThat(about).contains("iommufx " + HelpDialogs.version(), "Apache-2.0", "pci.ids")
                .doesNotContain("unknown version");
        for (Profile p : Profile.values()) {
            assertThat(about).contains(p.title());
        }
    }
}
