package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.viewmodel.BootViewModel;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Machine → Boot with a configuration: the files typed in, the boot's answer, and the booted machine shown. */
@ExtendWith(ApplicationExtension.class)
class BootDialogTest {
    private static final String GPU = "0000:01:00.0";
    private MachineViewModel machine;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(TopologyReader.read(Path.of("topologies/boot/haswell-gtx760.json")));
        Preferences prefs = Preferences.userRoot().node("dev/iommufx/test-recent");
        MainWindow window = new MainWindow(machine, stage, new RecentFiles(prefs));
        Scene scene = new Scene(window, 1500, 950);
        scene.getStylesheets().add(IommufxApp.class.getResource(IommufxApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    @Test
    void theBootSaysWhoWonTheCardAndTheWindowShowsThatMachine(FxRobot robot) throws Exception {
        robot.clickOn("Machine").clickOn("#menu-boot");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#boot-dialog").tryQuery().isPresent());
        TextArea modprobe = robot.lookup("#boot-file-etc-modprobe-d-vfio-conf").queryAs(TextArea.class);
        // ids= alone: nothing loads vfio-pci, and nouveau keeps the card
        robot.interact(() -> modprobe.setText("options vfio-pci ids=10de:1187,10de:0e0a\n"));
        robot.clickOn("#boot-run");
        @SuppressWarnings("unchecked")
        TableView<BootViewModel.Row> rows = robot.lookup("#boot-rows").queryAs(TableView.class);
        assertThat(rows.getItems()).filteredOn(r -> r.device().equals(GPU)).extracting(BootViewModel.Row::driver)
                .containsExactly("nouveau");
        assertThat(machine.boots().warnings()).anyMatch(w -> w.contains("nothing loaded it"));
        // with the softdeps vfio-pci loads first and takes both functions
        robot.interact(() -> modprobe.setText("options vfio-pci ids=10de:1187,10de:0e0a\n"
                + "softdep nouveau pre: vfio-pci\nsoftdep snd_hda_intel pre: vfio-pci\n"));
        robot.clickOn("#boot-run");
        assertThat(rows.getItems()).filteredOn(r -> r.device().equals(GPU))
                .extracting(BootViewModel.Row::driver, BootViewModel.Row::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vfio-pci", "dynamic ID (ids=)"));
        assertThat(machine.kernel().device(GPU).driver().name()).as("the window waits for Show").isEqualTo("nouveau");
        DialogPane pane = robot.lookup("#boot-dialog").queryAs(DialogPane.class);
        Button show = (Button) pane.lookupButton(BootDialog.SHOW);
        assertThat(show.isDisabled()).isFalse();
        robot.clickOn(show);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().device(GPU).driver().name()).isEqualTo("vfio-pci");
        assertThat(machine.bootConfig()).isNotNull();
        assertThat(machine.kernel().canUndo()).as("the boot is the machine's start").isFalse();
    }

    @Test
    void aBrokenFileIsShownWithItsPlaceAndNothingBoots(FxRobot robot) throws Exception {
        robot.clickOn("Machine").clickOn("#menu-boot");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#boot-dialog").tryQuery().isPresent());
        TextArea modprobe = robot.lookup("#boot-file-etc-modprobe-d-vfio-conf").queryAs(TextArea.class);
        robot.interact(() -> modprobe.setText("optoins vfio-pci ids=1\n"));
        robot.clickOn("#boot-run");
        assertThat(machine.boots().problemProperty().get()).startsWith("etc/modprobe.d/vfio.conf:1:")
                .contains("unknown command");
        DialogPane pane = robot.lookup("#boot-dialog").queryAs(DialogPane.class);
        assertThat(pane.lookupButton(BootDialog.SHOW).isDisabled()).isTrue();
    }
}
