package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

/** SR-IOV: a PF's eight VFs fold into one node that unfolds on demand, and VFs go to VMs one by one. */
@ExtendWith(ApplicationExtension.class)
class SriovViewTest {
    private static final String PF = "0000:03:00.0";
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(TopologyReader.read(Path.of("topologies/sriov-nic.json")));
        machine.kernel().sriovNumvfs(PF, 8); // the PF's driver enables 8 VFs, as echo 8 > sriov_numvfs does
        window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")));
        stage.setScene(new Scene(window, 1500, 950));
        stage.show();
        window.graph().rebuild();
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void virtualFunctionsFoldAndUnfold(FxRobot robot) throws Exception {
        awaitLayout();
        assertThat(window.graph().deviceNode("0000:03:02.0")).as("folded").isNull();
        Label title = robot.lookup("#vfs-0000_03_00_0 .device-title").queryAs(Label.class);
        assertThat(title.getText()).isEqualTo("VF × 8 of " + PF);
        // a double-click as the graph receives it: the robot's two clicks can fall apart under a loaded machine
        javafx.scene.Node bundle = robot.lookup("#vfs-0000_03_00_0").query();
        robot.interact(() -> {
            javafx.geometry.Point2D at = bundle.localToScene(5, 5);
            javafx.scene.input.MouseEvent press = new javafx.scene.input.MouseEvent(bundle, bundle,
                    javafx.scene.input.MouseEvent.MOUSE_PRESSED, 5, 5, at.getX(), at.getY(),
                    javafx.scene.input.MouseButton.PRIMARY, 2, false, false, false, false, true, false, false, true,
                    false, false, new javafx.scene.input.PickResult(bundle, at.getX(), at.getY()));
            javafx.event.Event.fireEvent(bundle, press);
        });
        awaitLayout();
        assertThat(window.graph().deviceNode("0000:03:02.7")).isNotNull();
        // VF 2 to vfio-pci and into a VM while the PF keeps i40e (each VF has its own group)
        robot.drag("#" + DeviceNode.nodeId("0000:03:02.2")).dropTo("#drv-vfio-pci");
        robot.interact(machine::addVm);
        String vmName = machine.vms().names().get(0);
        robot.interact(() -> machine.giveGroupToVm(7, vmName));
        robot.interact(() -> machine.startVm(vmName));
        assertThat(window.graph().groupBox(7).hasState(GroupState.USER_CLAIMED)).isTrue();
        assertThat(machine.kernel().device(PF).driver().name()).isEqualTo("i40e");
        // §4.1: vfio-pci refuses a PF whose VFs are enabled
        robot.interact(() -> machine.moveToDriver(PF, "vfio-pci"));
        assertThat(machine.lastResultProperty().get().errno()).isEqualTo(Errno.EBUSY);
    }
}
