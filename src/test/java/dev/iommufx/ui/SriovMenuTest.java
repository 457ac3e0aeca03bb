package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A physical function's context menu writes sriov_numvfs and sriov_drivers_autoprobe; the VFs come and go. */
@ExtendWith(ApplicationExtension.class)
class SriovMenuTest {
    private static final String PF = "0000:03:00.0";
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(TopologyReader.read(Path.of("topologies/sriov-nic.json")));
        window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")));
        stage.setScene(new Scene(window, 1500, 950));
        stage.show();
        window.graph().rebuild();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Right-clicks the PF and fires an item of its SR-IOV menu, as choosing it does. */
    private void choose(FxRobot robot, String itemId) throws Exception {
        awaitLayout();
        robot.clickOn("#" + DeviceNode.nodeId(PF), MouseButton.SECONDARY);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            javafx.scene.control.Menu sriov = (javafx.scene.control.Menu) window.contextMenu().getItems().stream()
                    .filter(i -> "menu-sriov".equals(i.getId())).findFirst().orElseThrow();
            window.contextMenu().hide();
            sriov.getItems().stream().filter(i -> itemId.equals(i.getId())).findFirst().orElseThrow().fire();
        });
        awaitLayout();
    }

    private void numvfs(FxRobot robot, int n) throws Exception {
        choose(robot, "menu-sriov-numvfs-" + n);
    }

    @Test
    void enablingAndDisablingVfsFromThePfsMenu(FxRobot robot) throws Exception {
        assertThat(machine.items().device(PF).virtfns()).as("no VF at boot").isEmpty();
        numvfs(robot, 4);
        assertThat(machine.items().device(PF).numVfs()).isEqualTo(4);
        assertThat(machine.items().device(PF).virtfns()).hasSize(4);
        assertThat(machine.items().device("0000:03:02.3")).as("a new VF, its own item").isNotNull();
        assertThat(robot.lookup("#vfs-0000_03_00_0").tryQuery()).as("the VF bundle appears").isPresent();
        numvfs(robot, 0);
        assertThat(machine.items().device(PF).virtfns()).isEmpty();
        assertThat(machine.items().device("0000:03:02.0")).as("removed with the VFs").isNull();
        assertThat(robot.lookup("#vfs-0000_03_00_0").tryQuery()).as("the bundle goes with them").isEmpty();
        // autoprobe off, then new VFs get no driver
        choose(robot, "menu-sriov-autoprobe");
        assertThat(machine.items().device(PF).vfAutoprobe()).isFalse();
        numvfs(robot, 2);
        assertThat(machine.items().device("0000:03:02.0").driverProperty().get()).isNull();
    }
}
