package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.graph.GraphView;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    void theUnseenPanelsAreNotInTheFirstFrameButBuiltInTheIdleFramesAfterIt(FxRobot robot) throws Exception {
        // a second window, looked at as it is shown: before its first pulse, which styles and lays out what it has
        AtomicReference<List<Boolean>> shown = new AtomicReference<>();
        AtomicReference<MainWindow> second = new AtomicReference<>();
        robot.interact(() -> {
            Stage stage = new Stage();
            MachineViewModel other = new MachineViewModel();
            second.set(TestWindows.show(stage, other, autosave()));
            javafx.scene.Parent root = stage.getScene().getRoot();
            shown.set(List.of(root.lookup("#player") != null, root.lookup("#recorder") != null,
                    root.lookup("#readiness") != null, root.lookup("#call-path-frames") != null,
                    root.lookup(".property-sheet") != null, root.lookup(".inspector-hint") != null));
        });
        assertThat(shown.get()).as("player, recorder, readiness, call path list, sheet, hint")
                .containsExactly(false, false, false, false, false, true);

        // then, a piece every other frame, what a first click on them would wait for
        javafx.scene.Parent root = second.get().getScene().getRoot();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> root.lookup("#readiness") != null);
        assertThat(List.of(root.lookup("#player"), root.lookup("#recorder"), root.lookup(".property-sheet")))
                .doesNotContainNull();
        assertThat(second.get().tabs.getSelectionModel().getSelectedIndex()).as("the inspector still shows").isZero();
        assertThat(root.lookup(".inspector-hint").isVisible()).isTrue();
        assertThat(root.lookup("#call-path-frames")).as("no operation yet: no list").isNull();
        robot.interact(() -> second.get().getScene().getWindow().hide());
    }

    private static java.nio.file.Path autosave() {
        try {
            return Files.createTempDirectory("lazy-autosave-2");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        assertThat(robot.lookup(".inspector-hint").query().isVisible()).isFalse();
        assertThat(robot.lookup(".property-sheet").queryAs(javafx.scene.Node.class).isVisible()).isTrue();
        assertThat(window.inspector().value("driver")).isEqualTo("nvme");

        // nothing selected again: the hint comes back in place of an empty sheet
        robot.interact(() -> machine.selectionProperty().set(null));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> { });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.machine.inspector().rows()).as("no selection, no operation yet").isEmpty();
        assertThat(robot.lookup(".inspector-hint").query().isVisible()).isTrue();
        assertThat(robot.lookup(".property-sheet").query().isVisible()).isFalse();
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
        assertThat(robot.lookup(".inspector-hint").query().isVisible()).isFalse();
        assertThat(window.inspector().value("driver")).isEqualTo("nvme");

        robot.interact(() -> machine.unbind("0000:02:00.0"));
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> frames = robot.lookup("#call-path-frames").queryAs(ListView.class);
        assertThat(frames.getItems()).isNotEmpty();
        assertThat(window.callPath().headingText()).contains("unbind");
    }
}
