package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The start page: the GPU story, the tutorials by title, and a pasted listing becoming the machine. */
@ExtendWith(ApplicationExtension.class)
class StartPageTest {
    private MachineViewModel machine;
    private MainWindow window;
    private final Preferences prefs = Preferences.userRoot().node("dev/iommufx/test-start-page");

    @Start
    void start(Stage stage) throws Exception {
        prefs.clear();
        machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        window = new MainWindow(machine, stage, new RecentFiles(Preferences.userRoot().node("dev/iommufx/test-recent")));
        stage.setScene(new Scene(window, 1400, 900));
        stage.show();
    }

    private void openStartPage(FxRobot robot) throws Exception {
        robot.interact(() -> new StartPage(window).show(prefs));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#start-page").tryQuery().isPresent());
    }

    @Test
    void theGpuStoryOpensInThePlayerAndTheTutorialsAreListedByTitle(FxRobot robot) throws Exception {
        assertThat(StartPage.showAtStart(prefs)).as("a first start shows it").isTrue();
        openStartPage(robot);
        @SuppressWarnings("unchecked")
        ListView<java.nio.file.Path> tutorials = robot.lookup("#start-tutorials").queryAs(ListView.class);
        assertThat(tutorials.getItems()).hasSizeGreaterThanOrEqualTo(8);
        robot.clickOn("#start-gpu-story");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.player().isOpen()).isTrue();
        assertThat(machine.player().scenarioProperty().get().title()).contains("GPU");
        assertThat(robot.lookup("#start-page").tryQuery()).as("the page closes").isEmpty();
    }

    @Test
    void aPastedListingBecomesTheMachineAndTheChoiceIsKept(FxRobot robot) throws Exception {
        openStartPage(robot);
        TextArea paste = robot.lookup("#start-paste").queryAs(TextArea.class);
        robot.interact(() -> paste.setText("IOMMU Group 1:\n\t00:01.0 PCI bridge [0604]: Intel Corporation Xeon E3 "
                + "PCIe Controller [8086:0c01] (rev 06)\n\t01:00.0 VGA compatible controller [0300]: NVIDIA "
                + "Corporation GK104 [10de:1187] (rev a1)\n"));
        robot.interact(() -> robot.lookup("#start-page").queryAs(javafx.scene.Parent.class)
                .lookupAll(".check-box").forEach(n -> ((javafx.scene.control.CheckBox) n).setSelected(false)));
        assertThat(StartPage.showAtStart(prefs)).isFalse();
        robot.clickOn("#start-import");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().device("0000:01:00.0")).isNotNull();
        assertThat(machine.kernel().devices()).hasSize(2);
    }

    @Test
    void escapeClosesIt(FxRobot robot) throws Exception {
        openStartPage(robot);
        robot.interact(() -> robot.lookup("#start-page").query().requestFocus());
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#start-page").tryQuery()).isEmpty();
    }
}
