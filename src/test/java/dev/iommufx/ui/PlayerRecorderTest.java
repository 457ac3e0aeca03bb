package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioRunner;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepOutcome;
import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Stepping through a scenario with the keyboard; recording one with the mouse, saving it, restoring it. */
@ExtendWith(ApplicationExtension.class)
class PlayerRecorderTest {
    private static final Path SCENARIO = Path.of("topologies/scenarios/workstation-gpu-passthrough.json");
    @TempDir
    static Path autosaveDir;
    private MachineViewModel machine;
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage s) {
        stage = s;
        machine = new MachineViewModel();
        window = TestWindows.show(s, machine, autosaveDir);
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void key(FxRobot robot, KeyCode code) {
        robot.press(code).release(code);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The states the graph shows after each step, compared with the step's expectation, both ways. */
    @Test
    void steppingForwardAndBackShowsEachStepsState(FxRobot robot) throws Exception {
        Scenario s = MachineFiles.load(SCENARIO);
        robot.interact(() -> window.open(SCENARIO));
        awaitLayout();
        robot.interact(() -> window.graph().requestFocus());
        List<Map<Integer, GroupState>> seen = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            key(robot, KeyCode.RIGHT);
            Step step = s.steps().get(i);
            for (Map.Entry<Integer, GroupState> e : step.expect().groups().entrySet()) {
                assertThat(window.graph().groupBox(e.getKey()).hasState(e.getValue()))
                        .as("step %d: group %d %s", i + 1, e.getKey(), e.getValue()).isTrue();
            }
            assertThat(window.callPath().headingText()).contains(step.expect().result().equals("ok") ? "→  ok"
                    : step.expect().result());
            seen.add(states());
        }
        for (int i = s.steps().size() - 2; i >= 0; i--) {
            key(robot, KeyCode.LEFT);
            assertThat(states()).as("back at step %d", i + 1).isEqualTo(seen.get(i));
        }
        key(robot, KeyCode.HOME);
        assertThat(window.graph().groupBox(8).hasState(GroupState.DMA_API_OWNED)).isTrue();
        assertThat(machine.kernel().device("0000:01:00.0").driver().name()).isEqualTo("nouveau");
        key(robot, KeyCode.END);
        assertThat(states()).isEqualTo(seen.get(seen.size() - 1));
        assertThat(window.player().stepText(6)).startsWith("✓ 7. vfio_set_container").contains("EPERM");
    }

    @Test
    void afterOpeningAScenarioTheArrowKeysStepAtOnce(FxRobot robot) throws Exception {
        awaitLayout();
        robot.clickOn("#search"); // the focus is in a text field, where → moves the caret
        robot.interact(() -> window.open(SCENARIO));
        awaitLayout();
        key(robot, KeyCode.RIGHT);
        key(robot, KeyCode.RIGHT);
        assertThat(machine.player().positionProperty().get()).isEqualTo(2);
    }

    @Test
    void aFailedExpectationIsMarkedAndExplained(FxRobot robot, @TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.json");
        Files.copy(Path.of("topologies/t3-multifunction.json"), t);
        Path s = dir.resolve("s.json");
        Files.writeString(s, """
                {"title": "wrong on purpose", "topology": "t.json",
                 "steps": [{"do": "unbind", "device": "0000:01:00.0", "expect": {"result": "EPERM"}}]}
                """);
        robot.interact(() -> window.open(s));
        awaitLayout();
        robot.interact(() -> window.graph().requestFocus());
        key(robot, KeyCode.RIGHT);
        assertThat(window.player().stepText(0)).startsWith("✗ 1. unbind")
                .contains("expected EPERM, the engine answered ok");
    }

    @Test
    void aRecordingSurvivesSavingClosingAndReopening(FxRobot robot, @TempDir Path dir) throws Exception {
        awaitLayout();
        robot.clickOn("Recording").clickOn("#record");
        awaitLayout();
        robot.drag("#" + DeviceNode.nodeId("0000:01:00.0")).dropTo("#drv-vfio-pci");
        robot.clickOn("#add-vm");
        WaitForAsyncUtils.waitForFxEvents();
        robot.drag("#group-header-8").dropTo("#vm-VM1");
        assertThat(machine.recorder().steps()).extracting(Step::describe).containsExactly(
                "move device=0000:01:00.0 driver=vfio-pci", "add_vm vm=VM1", "give_group_to_vm group=8 vm=VM1");
        assertThat(machine.recorder().steps().get(2).expect().result()).isEqualTo("EPERM");
        robot.interact(() -> machine.recorder().setNote(2, "refused: the audio function is still on snd_hda_intel"));
        // a crash now would leave the autosave, which restores the same recording
        assertThat(Files.exists(autosaveDir.resolve("recording-in-progress.json"))).isTrue();
        Path file = dir.resolve("mine.json");
        robot.interact(() -> assertThat(window.saveRecordingTo(file)).isTrue());
        assertThat(Files.exists(autosaveDir.resolve("recording-in-progress.json"))).isFalse();
        Snapshot recorded = Snapshot.of(machine.kernel());
        // reopen: it replays identically, in the replay command and in the player
        Scenario reopened = MachineFiles.load(file);
        assertThat(ScenarioRunner.run(reopened, null))
                .allSatisfy(o -> assertThat(o.verdict()).isEqualTo(StepOutcome.Verdict.MET));
        robot.interact(() -> window.open(file));
        robot.interact(() -> machine.player().playTo(Integer.MAX_VALUE));
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(recorded);
        assertThat(window.player().stepText(2)).contains("refused: the audio function");
    }

    @Test
    void anAutosavedRecordingIsRestored(FxRobot robot) throws Exception {
        awaitLayout();
        robot.interact(() -> machine.recorder().start("crashed"));
        robot.interact(() -> machine.moveToDriver("0000:01:00.1", "vfio-pci"));
        Autosave autosave = new Autosave(autosaveDir);
        var left = autosave.restore();
        assertThat(left.steps()).hasSize(1);
        // a new window (the next start) restores it, and the machine is in the recorded state
        robot.interact(() -> {
            MachineViewModel next = new MachineViewModel();
            next.load(IommufxApp.defaultTopology());
            MainWindow w = new MainWindow(next, new Stage(), new RecentFiles(
                    Preferences.userRoot().node("dev/iommufx/test-recent")), autosave);
            w.restoreRecording(left);
            assertThat(next.recorder().steps()).hasSize(1);
            assertThat(next.recorder().recordingProperty().get()).isTrue();
            assertThat(next.kernel().device("0000:01:00.1").driver().name()).isEqualTo("vfio-pci");
        });
        autosave.discard();
    }

    private Map<Integer, GroupState> states() {
        Map<Integer, GroupState> out = new java.util.TreeMap<>();
        machine.kernel().groups().forEach(g -> out.put(g.id(), g.state()));
        return out;
    }
}
