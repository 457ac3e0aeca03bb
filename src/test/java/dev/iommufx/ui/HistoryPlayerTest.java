package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Profile;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * The acceptance in the window: open history scenario 1, which is written for v7-series, step to the
 * unbind and see the WARN on the call path; switch the kernel to 6.1 and the same step has none.
 */
@ExtendWith(ApplicationExtension.class)
class HistoryPlayerTest {
    private static final Path SCENARIO = Path.of("topologies/scenarios/history/01-eric-auger-v7-warn.json");
    @TempDir
    static Path autosaveDir;
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage s) {
        machine = new MachineViewModel();
        window = TestWindows.show(s, machine, autosaveDir);
    }

    @Test
    void theV7WarnShowsOnUnbindAndDisappearsUnder61(FxRobot robot) throws Exception {
        robot.interact(() -> window.open(SCENARIO));
        awaitLayout();
        assertThat(machine.kernel().profile()).isEqualTo(Profile.V7_SERIES);
        stepTwice(robot);
        assertThat(window.player().stepText(1)).startsWith("✓ 2. unbind");
        assertThat(warnFrames()).isEqualTo(1);
        // group 3 did not exist at boot; after the bind it does, and the box shows it
        assertThat(window.graph().groupBox(3)).isNotNull();

        robot.interact(() -> machine.setProfile(Profile.LINUX_6_1)); // what the selector does once confirmed
        awaitLayout();
        assertThat(machine.kernel().profile()).isEqualTo(Profile.LINUX_6_1);
        stepTwice(robot);
        assertThat(window.player().stepText(1)).startsWith("✓ 2. unbind");
        assertThat(warnFrames()).isZero();
        assertThat(window.player().stepText(0)).startsWith("✓ 1. bind");
    }

    @Test
    void underNewestADevicesMenuBindsItsCdevToIommufd(FxRobot robot) throws Exception {
        // §3.6 / fixtures kernel-6.12-iommufd step 13: with the group free, a cdev bind claims it (UB, owner X)
        String gpu = "0000:01:00.0";
        String audio = "0000:01:00.1";
        robot.interact(() -> {
            machine.setProfile(Profile.NEWEST);
            machine.moveToDriver(gpu, "vfio-pci");
            machine.moveToDriver(audio, "vfio-pci");
        });
        awaitLayout();
        robot.interact(() -> {
            machine.selectionProperty().set(dev.iommufx.ui.viewmodel.Selection.device(gpu));
            window.showContextMenu(window.graph().nodeFor(dev.iommufx.ui.viewmodel.Selection.device(gpu)));
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            javafx.scene.control.Menu m = (javafx.scene.control.Menu) window.contextMenu().getItems().stream()
                    .filter(i -> "menu-iommufd".equals(i.getId())).findFirst().orElseThrow();
            window.contextMenu().hide();
            m.getItems().stream().filter(i -> "menu-iommufd-bind-X".equals(i.getId())).findFirst().orElseThrow()
                    .fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().device(gpu).iommufdContext()).isEqualTo("X");
        assertThat(window.graph().groupBox(8).hasState(dev.iommufx.engine.GroupState.BLOCKED)).isTrue();
        // the call path is redrawn at the next frame, which a loaded machine can delay past waitForFxEvents()
        WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS,
                () -> window.callPath().headingText().contains("VFIO_DEVICE_BIND_IOMMUFD"));
        assertThat(window.callPath().headingText()).contains("VFIO_DEVICE_BIND_IOMMUFD");
        // 6.1 has no iommufd: the menu is not offered
        robot.interact(() -> machine.setProfile(Profile.LINUX_6_1));
        robot.interact(() -> window.showContextMenu(window.graph().nodeFor(dev.iommufx.ui.viewmodel.Selection.device(gpu))));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.contextMenu().getItems()).noneMatch(i -> "menu-iommufd".equals(i.getId()));
        robot.interact(() -> window.contextMenu().hide());
    }

    private long warnFrames() {
        return window.callPath().frames().getItems().stream().map(Frame::outcome).filter("WARN"::equals).count();
    }

    private void stepTwice(FxRobot robot) {
        robot.interact(() -> window.graph().requestFocus());
        for (int i = 0; i < 2; i++) {
            robot.press(KeyCode.RIGHT).release(KeyCode.RIGHT);
            WaitForAsyncUtils.waitForFxEvents();
        }
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
