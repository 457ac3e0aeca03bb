package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.doctor.Finding;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.GroupListing;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Readiness tab answers what {@code iommufx doctor} answers for the machine opened, its findings lead to their
 * device, and File → Save machine as keeps an imported listing as a topology with the same groups.
 */
@ExtendWith(ApplicationExtension.class)
class ReadinessPanelTest {
    private static final Path LISTINGS = Path.of("src/test/resources/imports/pasted");
    @TempDir
    Path dir;
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, Files.createTempDirectory("readiness-autosave"));
    }

    private Tab readinessTab() {
        return window.tabs.getTabs().stream().filter(t -> "readiness-tab".equals(t.getId())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private ListView<Finding> findings(FxRobot robot) {
        robot.interact(() -> window.tabs.getSelectionModel().select(readinessTab()));
        return robot.lookup("#readiness-findings").queryAs(ListView.class);
    }

    @Test
    void aMachineWithTheIommuOffSaysSoInTheTabItsTitleAndTheStatusBar(FxRobot robot) throws Exception {
        assertThat(readinessTab().getText()).as("the workstation has nothing worse than information").isEqualTo("Readiness");
        String workstation = Files.readString(Path.of("topologies/workstation.json"));
        Path off = dir.resolve("iommu-off.json");
        // the workstation as a kernel without an IOMMU sees it: no device in a group
        Files.writeString(off, workstation.replaceFirst("\"format\": \"iommufx-topology/1\",",
                "\"format\": \"iommufx-topology/1\",\n  \"iommuEnabled\": false,").replaceAll(",\\s*\"group\": \\d+", ""));
        robot.interact(() -> assertThat(window.open(off)).isTrue());
        assertThat(readinessTab().getText()).isEqualTo("Readiness: 1 error");
        ListView<Finding> list = findings(robot);
        assertThat(list.getItems().get(0).severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(list.getItems().get(0).text()).startsWith("The IOMMU is off");
        assertThat(robot.lookup("#readiness-headline").queryAs(Label.class).getText())
                .startsWith("Passthrough cannot work on this machine");
        assertThat(window.status.getText()).contains("readiness: 1 error (see the Readiness tab)");

        robot.interact(() -> window.open(Path.of("topologies/workstation.json")));
        assertThat(readinessTab().getText()).as("another machine, other answers").isEqualTo("Readiness");
        assertThat(findings(robot).getItems()).noneMatch(f -> f.severity() == Finding.Severity.ERROR);
    }

    @Test
    void aFindingAboutTheBootGpuSelectsItAndTheInspectorRepeatsWhatTheFileTells(FxRobot robot) {
        robot.interact(() -> assertThat(window.open(LISTINGS.resolve("9-iommu-state-reset-bootvga/01.txt"))).isTrue());
        assertThat(readinessTab().getText()).isEqualTo("Readiness: 1 warning");
        ListView<Finding> list = findings(robot);
        int at = -1;
        for (int i = 0; i < list.getItems().size(); i++) {
            if ("0000:00:02.0".equals(list.getItems().get(i).device())) {
                at = i;
            }
        }
        assertThat(at).as("a finding names the boot VGA device").isNotNegative();
        assertThat(list.getItems().get(at).text()).contains("boot VGA device");
        int row = at;
        robot.interact(() -> {
            list.getSelectionModel().select(row);
            list.requestFocus();
        });
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.device("0000:00:02.0"));
        robot.interact(() -> window.tabs.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.inspector().value("from the file")).isEqualTo("reset: not known; boot VGA: yes");
    }

    @Test
    void aPastedKernelLogWithoutDevicesOpensAsAnEmptyMachineWhoseTabAnswers(FxRobot robot) throws Exception {
        String log = Files.readString(LISTINGS.resolve("9-iommu-state-reset-bootvga/06.txt"));
        robot.interact(() -> assertThat(window.importText(log)).isTrue());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().devices()).isEmpty();
        assertThat(readinessTab().getText()).isEqualTo("Readiness: 1 warning");
        assertThat(window.status.getText()).contains("Imported 0 devices")
                .contains("readiness: 1 warning (see the Readiness tab)");
        assertThat(findings(robot).getItems().get(0).text()).contains("no \"DMAR: IOMMU enabled\" line");
    }

    @Test
    void savingAnImportedListingKeepsItsGroupsAndAFailedSaveSaysWhy(FxRobot robot) throws Exception {
        Path listing = LISTINGS.resolve("2-ls-devices/01.txt");
        robot.interact(() -> assertThat(window.open(listing)).isTrue());
        String shown = GroupListing.of(machine.kernel());
        Path saved = dir.resolve("kept.json");
        robot.interact(() -> assertThat(window.saveMachineTo(saved)).isTrue());
        assertThat(window.status.getText()).startsWith("Saved the machine (").endsWith(saved.toString());
        Kernel again = Kernel.boot(MachineFiles.open(saved).scenario().topology());
        assertThat(GroupListing.of(again)).as("the saved file has the same groups, devices and drivers")
                .isEqualTo(shown);
        Path nowhere = dir.resolve("missing-folder").resolve("kept.json");
        robot.interact(() -> assertThat(window.saveMachineTo(nowhere)).isFalse());
        assertThat(window.status.getText()).startsWith("Not saved: ");
        assertThat(nowhere).doesNotExist();
    }
}
