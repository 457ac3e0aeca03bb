package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** When the recording in progress cannot be kept on disk, the user is told, because a crash would lose it. */
@ExtendWith(ApplicationExtension.class)
class AutosaveFailureTest {
    @TempDir
    static Path dir;
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        // the autosave folder's place is taken by a file: every autosave fails
        Path blocked = Files.writeString(dir.resolve("not-a-folder"), "x");
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, blocked);
    }

    @Test
    void aFailingAutosaveIsReportedInTheStatusBar(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        robot.interact(() -> {
            machine.recorder().start("autosave test");
            machine.unbind("0000:01:00.1");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.recorder().steps()).hasSize(1);
        assertThat(robot.lookup("#status").queryAs(Label.class).getText())
                .startsWith("unbind 0000:01:00.1 → ok — the recording is not kept on disk").contains("not-a-folder")
                .contains("would be lost in a crash");
    }
}
