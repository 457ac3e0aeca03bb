package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A device dragged onto a driver of another bus: the kernel is asked and refuses (bind_store(): no such device
 * on that bus, ENODEV), and the window shows the refusal as it shows any other, changing nothing.
 */
@ExtendWith(ApplicationExtension.class)
class WrongBusDropTest {
    private static final String PLATFORM_DEVICE = "e0700000.xgmac";
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        try (InputStream in = WrongBusDropTest.class.getResourceAsStream("/ui/two-buses.json")) {
            machine.load(TopologyReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "two-buses.json"));
        }
        window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")));
        stage.setScene(new Scene(window, 1500, 950));
        stage.show();
        window.graph().rebuild();
    }

    @Test
    void aPlatformDeviceDroppedOnAPciDriverIsRefusedByTheKernel(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        Snapshot before = Snapshot.of(machine.kernel());

        robot.drag("#" + DeviceNode.nodeId(PLATFORM_DEVICE)).dropTo("#drv-vfio-pci");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(machine.lastResultProperty().get().errno()).isEqualTo(Errno.ENODEV);
        assertThat(machine.lastResultProperty().get().cause().function()).isEqualTo("bind_store");
        assertThat(window.callPath().headingText()).isEqualTo("give " + PLATFORM_DEVICE + " to vfio-pci  →  ENODEV");
        assertThat(robot.lookup(".notification-bar").tryQuery()).as("notified like any refusal").isPresent();
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(before);
        assertThat(machine.items().device(PLATFORM_DEVICE).driverProperty().get()).isEqualTo("amd-xgbe");
    }
}
