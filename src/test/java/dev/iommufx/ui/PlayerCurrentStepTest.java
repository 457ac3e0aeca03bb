package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.ScenarioReader;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The player shows the current step's whole narration, and Home goes back to the boot. */
@ExtendWith(ApplicationExtension.class)
class PlayerCurrentStepTest {
    private MachineViewModel machine;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        MainWindow window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot()
                .node("dev/iommufx/test-recent")));
        stage.setScene(new Scene(window, 1400, 900));
        stage.show();
        machine.play(ScenarioReader.read(Path.of("topologies/scenarios/field/01-gpu-in-the-chipset-slot.json")));
    }

    @Test
    void theCurrentStepsNarrationIsShownWhole(FxRobot robot) {
        Label current = robot.lookup("#player-current").queryAs(Label.class);
        robot.interact(() -> machine.player().playTo(4));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(current.getText()).isEqualTo(machine.player().stepText(3))
                .contains("EPERM", "The fix is the slot");
        assertThat(current.isWrapText()).isTrue();
        robot.interact(() -> machine.player().playTo(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(current.getText()).startsWith("At boot");
    }

    /** The buttons are drawn, not characters of a font the desktop may lack; the description is there whole. */
    @Test
    void theButtonsAreShapesAndTheDescriptionIsWhole(FxRobot robot) {
        for (String id : new String[] {"#player-home", "#player-back", "#player-play", "#player-forward", "#player-end"}) {
            javafx.scene.control.Button b = robot.lookup(id).queryAs(javafx.scene.control.Button.class);
            assertThat(b.getGraphic()).as(id).isInstanceOf(javafx.scene.shape.SVGPath.class);
            String text = b.getText() == null ? "" : b.getText();
            assertThat(text.chars().allMatch(c -> c < 0x80)).as(id + " text " + text).isTrue();
        }
        javafx.scene.control.Button play = robot.lookup("#player-play").queryAs(javafx.scene.control.Button.class);
        robot.interact(play::fire);
        assertThat(play.getText()).isEqualTo("Pause");
        robot.interact(play::fire);
        assertThat(play.getText()).isEqualTo("Play");
        javafx.scene.control.TextArea description = robot.lookup("#player-description")
                .queryAs(javafx.scene.control.TextArea.class);
        assertThat(description.getText()).isEqualTo(machine.player().scenarioProperty().get().description());
        assertThat(description.isWrapText()).isTrue();
        assertThat(description.getHeight()).as("at least a row is visible").isGreaterThan(15);
    }
}
