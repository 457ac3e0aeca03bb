package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The context menu is the clicked node's, and offers what applies to it. On the workstation the GPU (01:00.0)
 * and its HDMI audio (01:00.1) share group 8; the NVMe disk (02:00.0) is group 9.
 */
@ExtendWith(ApplicationExtension.class)
class ContextMenuTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";
    private static final String NVME = "0000:02:00.0";
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, java.nio.file.Files.createTempDirectory("context-menu-autosave"));
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void closeMenus(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    @Test
    void aRightClickOpensTheMenuOfTheClickedNodeNotOfThePreviousSelection(FxRobot robot) throws Exception {
        awaitLayout();
        robot.clickOn(device(robot, GPU));
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.device(GPU));

        robot.rightClickOn(device(robot, NVME));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.selectionProperty().get()).as("selected before its menu opens")
                .isEqualTo(Selection.device(NVME));
        assertThat(labels(window.contextMenu().getItems())).contains("Give group 9 to VM")
                .noneMatch(label -> label.contains("group 8"));

        // with that menu still open, a right-click on another device opens the other device's menu
        robot.rightClickOn(device(robot, GPU));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.contextMenu().isShowing()).isTrue();
        assertThat(labels(window.contextMenu().getItems())).contains("Give group 8 to VM")
                .noneMatch(label -> label.contains("group 9"));
    }

    @Test
    void giveToVmOffersTheEmptyVmFirstAndOnlyWhileTheGroupIsInNone(FxRobot robot) throws Exception {
        awaitLayout();
        robot.interact(() -> {
            machine.moveToDriver(GPU, "vfio-pci");
            machine.moveToDriver(AUDIO, "vfio-pci");
            machine.giveGroupToVm(8, machine.addVm());
            machine.addVm();
        });
        robot.rightClickOn(device(robot, NVME));
        WaitForAsyncUtils.waitForFxEvents();
        Menu give = (Menu) item(window.contextMenu().getItems(), "Give group 9 to VM");
        assertThat(labels(give.getItems())).containsExactly("VM2  (empty)", "VM1  (holds group 8)", "New VM");
        robot.interact(() -> window.contextMenu().hide());

        robot.rightClickOn(device(robot, GPU));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(labels(window.contextMenu().getItems())).as("group 8 is in VM1 already")
                .contains("Take group 8 from VM1").doesNotContain("Give group 8 to VM");
    }

    private Node device(FxRobot robot, String id) {
        return robot.lookup("#" + DeviceNode.nodeId(id)).query();
    }

    private static List<String> labels(List<MenuItem> items) {
        return items.stream().map(MenuItem::getText).filter(t -> t != null).toList();
    }

    private static MenuItem item(List<MenuItem> items, String label) {
        return items.stream().filter(i -> label.equals(i.getText())).findFirst()
                .orElseThrow(() -> new AssertionError("no menu item " + label + " in " + labels(items)));
    }
}
