package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The tool bar's search on a DGX-2 (hwloc's record: sixteen identical V100 GPUs, 10de:1db8), typed and walked with
 * the keys as a user does: every GPU marked, the one gone to selected, centred and readable.
 */
@ExtendWith(ApplicationExtension.class)
class SearchTest {
    private static final PseudoClass MATCH = PseudoClass.getPseudoClass("search-match");
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("search-current");
    /** The V100s in the machine's order, as hwloc lists them. */
    private static final List<String> GPUS = List.of("0000:34:00.0", "0000:36:00.0", "0000:39:00.0",
            "0000:3b:00.0", "0000:57:00.0", "0000:59:00.0", "0000:5c:00.0", "0000:5e:00.0", "0000:b7:00.0",
            "0000:b9:00.0", "0000:bc:00.0", "0000:be:00.0", "0000:e0:00.0", "0000:e2:00.0", "0000:e5:00.0",
            "0000:e7:00.0");
    /** Devices of the same machine that are no V100: an NVSwitch, a PLX switch port, the first GPU's bridge. */
    private static final List<String> OTHERS = List.of("0000:61:00.0", "0000:2d:04.0", "0000:33:00.0");
    @TempDir
    Path autosaveDir;
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, autosaveDir);
    }

    private static Path dgx2() throws Exception {
        return Path.of(SearchTest.class.getResource("/imports/xml/hwloc-nvidia-dgx2.xml").toURI());
    }

    /** Opens the DGX-2 as the user does, and waits until it is drawn and fitted to the window. */
    private void openDgx2(FxRobot robot) throws Exception {
        robot.interact(() -> assertThat(window.open(dgx2())).isTrue());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private DeviceNode node(String id) {
        return window.graph().deviceNode(id);
    }

    private String selected() {
        Selection s = machine.selectionProperty().get();
        return s == null ? null : s.id();
    }

    private static void enter(FxRobot robot, boolean shift) {
        if (shift) {
            robot.press(KeyCode.SHIFT, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.SHIFT);
        } else {
            robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The node's centre, where the graph shows it. */
    private Point2D onScreen(Node n) {
        Bounds b = window.graph().sceneToLocal(n.localToScene(n.getBoundsInLocal()));
        return new Point2D(b.getCenterX(), b.getCenterY());
    }

    /** The device gone to: selected, the only one marked current, in the middle of the graph, readable. */
    private void assertOn(FxRobot robot, int match) {
        String id = GPUS.get(match);
        assertThat(selected()).isEqualTo(id);
        for (String gpu : GPUS) {
            assertThat(node(gpu).getPseudoClassStates().contains(CURRENT)).as(gpu).isEqualTo(gpu.equals(id));
        }
        assertThat(window.graph().viewport().zoom()).isGreaterThanOrEqualTo(1.0);
        Point2D at = onScreen(node(id));
        assertThat(at.getX()).isCloseTo(window.graph().getWidth() / 2, within(2.0));
        assertThat(at.getY()).isCloseTo(window.graph().getHeight() / 2, within(2.0));
        assertThat(robot.lookup("#search-count").queryAs(Label.class).getText())
                .isEqualTo((match + 1) + " of 16");
        assertThat(window.status.getText()).isEqualTo("Found " + id + " (10de:1db8) — " + (match + 1) + " of 16");
    }

    @Test
    void enterAndShiftEnterWalkEveryGpuMarkedCentredAndReadable(FxRobot robot) throws Exception {
        openDgx2(robot);
        assertThat(window.graph().viewport().zoom()).as("the whole machine, fitted, is smaller than 1:1")
                .isLessThan(1.0);
        assertThat(robot.lookup("#search-next").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#search").write("10DE:1db8");
        WaitForAsyncUtils.waitForFxEvents();
        assertOn(robot, 0);
        for (String gpu : GPUS) {
            assertThat(node(gpu).getPseudoClassStates()).as(gpu).contains(MATCH);
        }
        for (String other : OTHERS) {
            assertThat(node(other).getPseudoClassStates()).as(other).doesNotContain(MATCH, CURRENT);
        }
        enter(robot, false);
        assertOn(robot, 1);
        enter(robot, false);
        assertOn(robot, 2);
        enter(robot, false);
        assertOn(robot, 3);
        enter(robot, true);
        assertOn(robot, 2);
        // a user already closer keeps the zoom; the Next button goes on from the current match
        robot.interact(() -> window.graph().viewport().zoomBy(2));
        double closer = window.graph().viewport().zoom();
        robot.clickOn("#search-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertOn(robot, 3);
        assertThat(window.graph().viewport().zoom()).isEqualTo(closer);
        robot.clickOn("#search-previous").clickOn("#search-previous").clickOn("#search-previous")
                .clickOn("#search-previous");
        WaitForAsyncUtils.waitForFxEvents();
        assertOn(robot, 15); // around from the first to the last
    }

    @Test
    void aVirtualFunctionFoldedIntoItsBundleIsUnfoldedAndShown(FxRobot robot) throws Exception {
        robot.interact(() -> assertThat(window.open("topologies/sriov-nic.json")).isTrue());
        robot.interact(() -> assertThat(machine.sriovNumvfs("0000:03:00.0", 8).ok()).isTrue());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        String vf = "0000:03:02.5";
        assertThat(node(vf)).as("folded").isNull();
        robot.clickOn("#search").write("03:02.5");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> node(vf) != null
                && window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(selected()).isEqualTo(vf);
        assertThat(node(vf).getPseudoClassStates()).contains(MATCH, CURRENT);
        assertThat(window.graph().viewport().zoom()).isGreaterThanOrEqualTo(1.0);
        Point2D at = onScreen(node(vf));
        assertThat(at.getX()).isCloseTo(window.graph().getWidth() / 2, within(2.0));
        assertThat(at.getY()).isCloseTo(window.graph().getHeight() / 2, within(2.0));
    }

    /** The ids of the devices drawn with the pseudo-class. */
    private java.util.Set<String> drawnWith(FxRobot robot, PseudoClass p) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Node n : robot.lookup(".device").queryAll()) {
            if (n instanceof DeviceNode d && d.getPseudoClassStates().contains(p)) {
                ids.add(d.item().id());
            }
        }
        return ids;
    }

    @Test
    void hundredsOfMatchesAreMarkedFiveHundredAtATimeAroundTheCurrentOne(FxRobot robot) throws Exception {
        robot.interact(() -> {
            machine.load(dev.iommufx.bench.TopologyGenerator.generate(1200));
            machine.overview().shownProperty().set(false); // it opens in the overview: the user turns to the graph
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#search").write("pcieport");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> matches = machine.search().matches().stream().map(d -> d.id()).toList();
        assertThat(matches).as("every port of the generated machine").hasSizeGreaterThan(500);
        String first = matches.get(0);
        String last = matches.get(matches.size() - 1);
        java.util.Set<String> marked = drawnWith(robot, MATCH);
        assertThat(marked).hasSize(500).contains(first).doesNotContain(last);
        assertThat(matches).containsAll(marked);
        assertThat(drawnWith(robot, CURRENT)).containsExactly(first);
        enter(robot, true); // around to the last: the marked stretch goes with it
        marked = drawnWith(robot, MATCH);
        assertThat(marked).hasSize(500).contains(last).doesNotContain(first);
        assertThat(drawnWith(robot, CURRENT)).containsExactly(last);
        assertThat(robot.lookup("#search-count").queryAs(Label.class).getText())
                .isEqualTo(matches.size() + " of " + matches.size());
        enter(robot, false);
        assertThat(drawnWith(robot, MATCH)).hasSize(500).contains(first).doesNotContain(last);
    }

    @Test
    void escapeClearsTheSearchAndGivesTheKeysBackToTheGraph(FxRobot robot) throws Exception {
        openDgx2(robot);
        robot.clickOn("#search").write("1db8");
        enter(robot, false);
        assertThat(selected()).isEqualTo(GPUS.get(1));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#search").queryAs(TextField.class).getText()).isEmpty();
        assertThat(robot.lookup("#search-count").queryAs(Label.class).getText()).isEmpty();
        assertThat(window.graph().isFocused()).isTrue();
        for (String gpu : GPUS) {
            assertThat(node(gpu).getPseudoClassStates()).as(gpu).doesNotContain(MATCH, CURRENT);
        }
        assertThat(selected()).as("the device found stays selected").isEqualTo(GPUS.get(1));
        // the graph has the keys: Down walks on from the selection
        robot.press(KeyCode.DOWN).release(KeyCode.DOWN);
        assertThat(selected()).isNotEqualTo(GPUS.get(1));
    }

    @Test
    void openingAnotherMachineClearsTheFieldAndTheMarks(FxRobot robot) throws Exception {
        openDgx2(robot);
        robot.clickOn("#search").write("10de:1db8");
        enter(robot, false);
        assertThat(node(GPUS.get(1)).getPseudoClassStates()).contains(MATCH, CURRENT);
        // the same machine opened again: marks that outlived it would fall on the new nodes of the same devices
        openDgx2(robot);
        assertThat(robot.lookup("#search").queryAs(TextField.class).getText()).isEmpty();
        assertThat(robot.lookup("#search-count").queryAs(Label.class).getText()).isEmpty();
        assertThat(machine.search().matches()).isEmpty();
        java.util.Set<Node> devices = robot.lookup(".device").queryAll();
        assertThat(devices).hasSizeGreaterThan(GPUS.size());
        for (Node n : devices) {
            assertThat(n.getPseudoClassStates()).as(n.getId()).doesNotContain(MATCH, CURRENT);
        }
        assertThat(window.graph().viewport().zoom()).as("fitted again, not left zoomed in").isLessThan(1.0);
    }
}
