package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.graph.GraphView;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A window starts with only what it shows (docs/benchmarks.md, "Start-up"): the side tabs not selected, the
 * inspector's sheet and the call path's list are built when first needed, and then show the view-models' state
 * of that moment, not of the start.
 */
@ExtendWith(ApplicationExtension.class)
class LazyPanelsTest {
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, Files.createTempDirectory("lazy-autosave"));
    }

    @Test
    void theUnseenPanelsAreNotBuiltAtStart(FxRobot robot) {
        assertThat(robot.lookup("#player").tryQuery()).isEmpty();
        assertThat(robot.lookup("#recorder").tryQuery()).isEmpty();
        assertThat(robot.lookup("#readiness").tryQuery()).isEmpty();
        assertThat(robot.lookup("#call-path-frames").tryQuery()).isEmpty();
        assertThat(robot.lookup(".inspector-hint").queryAs(Label.class).getText()).startsWith("Select a device");
        assertThat(window.inspector().value("driver")).isNull();

        robot.interact(() -> window.tabs.getSelectionModel().select(3));
        assertThat(robot.lookup("#readiness-headline").queryAs(Label.class).getText()).isNotBlank();
    }

    @Test
    void theFirstMachineIsLaidOutAtOnceWithoutWaitingForAnotherThread(FxRobot robot) {
        AtomicReference<Object[]> seen = new AtomicReference<>();
        robot.interact(() -> {
            MachineViewModel fresh = new MachineViewModel();
            fresh.load(IommufxApp.defaultTopology());
            GraphView graph = new GraphView(fresh);
            graph.rebuildNow();
            seen.set(new Object[] {graph.laidOutProperty().get(),
                graph.lookup("#" + DeviceNode.nodeId("0000:02:00.0"))});
        });
        assertThat(seen.get()[0]).isEqualTo(true);
        assertThat(seen.get()[1]).isInstanceOf(DeviceNode.class);
    }

    @Test
    void aSheetBuiltAheadStaysBehindTheHintUntilSomethingIsSelected(FxRobot robot) {
        robot.interact(() -> window.inspector().prepare());
        assertThat(robot.lookup(".inspector-hint").queryAs(Label.class).isVisible()).isTrue();
        assertThat(robot.lookup(".property-sheet").queryAs(javafx.scene.Node.class).isVisible()).isFalse();

        robot.interact(() -> machine.selectionProperty().set(Selection.device("0000:02:00.0")));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> { }); // the inspector follows the selection one frame later
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".inspector-hint").tryQuery()).isEmpty();
        assertThat(robot.lookup(".property-sheet").queryAs(javafx.scene.Node.class).isVisible()).isTrue();
        assertThat(window.inspector().value("driver")).isEqualTo("nvme");
    }

    @Test
    void aRecordingTabBuiltWhileRecordingSaysSo(FxRobot robot) {
        robot.interact(() -> machine.recorder().start("before the tab was seen"));
        robot.interact(() -> window.tabs.getSelectionModel().select(2));
        assertThat(robot.lookup("#record").queryAs(ToggleButton.class).isSelected()).isTrue();

        robot.interact(() -> machine.recorder().stop());
        assertThat(robot.lookup("#record").queryAs(ToggleButton.class).isSelected()).isFalse();
    }

    @Test
    void theInspectorAndTheCallPathAppearWithTheirFirstContent(FxRobot robot) {
        robot.interact(() -> machine.selectionProperty().set(Selection.device("0000:02:00.0")));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> { }); // the inspector follows the selection one frame later
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup(".inspector-hint").tryQuery()).isEmpty();
        assertThat(window.inspector().value("driver")).isEqualTo("nvme");

        robot.interact(() -> machine.unbind("0000:02:00.0"));
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> frames = robot.lookup("#call-path-frames").queryAs(ListView.class);
        assertThat(frames.getItems()).isNotEmpty();
        assertThat(window.callPath().headingText()).contains("unbind");
    }
}
