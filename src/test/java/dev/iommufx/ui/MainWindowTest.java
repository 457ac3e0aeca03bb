package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.ui.graph.DeviceNode;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window driven like a user would: mouse drags, context menus, the keyboard. The workstation's GPU
 * (01:00.0) and HDMI audio (01:00.1) share group 8 (§9 S1's situation).
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        Preferences prefs = Preferences.userRoot().node("dev/iommufx/test-recent");
        prefs.clear();
        window = new MainWindow(machine, stage, new RecentFiles(prefs));
        Scene scene = new Scene(window, 1500, 950);
        scene.getStylesheets().add(IommufxApp.class.getResource(IommufxApp.STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
        window.graph().rebuild();
    }

    @AfterEach
    void closeMenus(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    private void awaitLayout() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.graph().laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Node device(FxRobot robot, String id) {
        return robot.lookup("#" + DeviceNode.nodeId(id)).query();
    }

    @Test
    void theCanonicalStoryWithTheMouseAlone(FxRobot robot) throws Exception {
        awaitLayout();
        // drag the GPU to vfio-pci: it binds; the group stays DMA-API owned (audio still on snd_hda_intel)
        robot.drag(device(robot, GPU)).dropTo("#drv-vfio-pci");
        assertThat(machine.kernel().device(GPU).driver().name()).isEqualTo("vfio-pci");
        assertThat(window.graph().groupBox(8).hasState(GroupState.DMA_API_OWNED)).isTrue();
        assertThat(window.callPath().headingText()).isEqualTo("give " + GPU + " to vfio-pci  →  ok");

        // a VM; dragging the group onto it is refused with EPERM, and nothing changes
        robot.clickOn("#add-vm");
        WaitForAsyncUtils.waitForFxEvents();
        Snapshot before = Snapshot.of(machine.kernel());
        robot.drag("#group-header-8").dropTo("#vm-VM1");
        assertThat(machine.lastResultProperty().get().errno()).isEqualTo(Errno.EPERM);
        assertThat(machine.lastResultProperty().get().cause().function()).isEqualTo("iommu_group_claim_dma_owner");
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(before);
        assertThat(robot.lookup(".notification-bar").tryQuery()).isPresent();

        // the audio function follows; the group can be given to the VM: blocked, then user-claimed
        robot.drag(device(robot, AUDIO)).dropTo("#drv-vfio-pci");
        assertThat(window.graph().groupBox(8).hasState(GroupState.DEFAULT_DOMAIN)).isTrue();
        robot.drag("#group-header-8").dropTo("#vm-VM1");
        assertThat(window.graph().groupBox(8).hasState(GroupState.BLOCKED)).isTrue();
        robot.rightClickOn("#vm-VM1").clickOn("Set the IOMMU of VM1 (type1v2): start it");
        assertThat(window.graph().groupBox(8).hasState(GroupState.USER_CLAIMED)).isTrue();

        // snd_hda_intel cannot come back while the VM owns the group: EBUSY, model untouched
        Snapshot claimed = Snapshot.of(machine.kernel());
        robot.drag(device(robot, AUDIO)).dropTo("#drv-snd_hda_intel");
        assertThat(machine.lastResultProperty().get().errno()).isEqualTo(Errno.EBUSY);
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(claimed);
        assertThat(window.graph().groupBox(8).hasState(GroupState.USER_CLAIMED)).isTrue();

        // dragging the group off the VM (onto empty space) gives it back
        robot.drag("#group-header-8").moveBy(0, 420).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.graph().groupBox(8).hasState(GroupState.DEFAULT_DOMAIN)).isTrue();
    }

    @Test
    void hoveringADeviceExplainsItsGroup(FxRobot robot) throws Exception {
        awaitLayout();
        robot.moveTo(device(robot, AUDIO));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".tooltip").tryQuery().isPresent());
        Node tooltip = robot.lookup(".tooltip").query();
        String text = robot.from(tooltip).lookup((Node n) -> n instanceof javafx.scene.control.Labeled)
                .queryLabeled().getText();
        assertThat(text).contains("function of a multifunction device without ACS", "group 8");

        // the graph's one tooltip follows the pointer: the next device gets its own reason
        robot.moveTo("#status");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".tooltip").tryQuery().isEmpty());
        robot.moveTo(device(robot, "0000:02:00.0"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".tooltip").tryQuery().isPresent());
        Node nvmeTip = robot.lookup(".tooltip").query();
        String nvme = robot.from(nvmeTip)
                .lookup((Node n) -> n instanceof javafx.scene.control.Labeled).queryLabeled().getText();
        assertThat(nvme).contains("group 9").doesNotContain("group 8");
    }

    @Test
    void aPastedListingBecomesTheMachine(FxRobot robot) throws Exception {
        awaitLayout();
        String listing = String.join("\n",
                "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:460d] (rev 02)",
                "IOMMU Group 12 01:00.0 VGA compatible controller [0300]: NVIDIA Corporation AD104 [10de:2786] (rev a1)",
                "IOMMU Group 12 01:00.1 Audio device [0403]: NVIDIA Corporation AD104 HDA [10de:22bc] (rev a1)",
                "garbage line that is not a listing");
        robot.interact(() -> assertThat(window.importText(listing)).isTrue());
        assertThat(machine.kernel().group(12).devices()).extracting(d -> d.id())
                .containsExactly("0000:01:00.0", "0000:01:00.1");
        robot.interact(() -> assertThat(window.importText("")).isFalse());
        assertThat(machine.kernel().group(12)).as("a refused paste keeps the machine").isNotNull();
    }

    @Test
    void givingADeviceToAVmShowsThePlanAndAppliesIt(FxRobot robot) throws Exception {
        awaitLayout();
        robot.rightClickOn(device(robot, GPU));
        WaitForAsyncUtils.waitForFxEvents();
        // the dialog waits for an answer, so the item is fired without waiting for it to return
        javafx.application.Platform.runLater(() -> {
            window.contextMenu().hide();
            window.contextMenu().getItems().stream().filter(i -> "Give this device to a VM…".equals(i.getText()))
                    .findFirst().orElseThrow().fire();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#plan-dialog").tryQuery().isPresent());
        Node dialog = robot.lookup("#plan-dialog").query();
        javafx.scene.control.TabPane tabs = robot.lookup("#plan-tabs").queryAs(javafx.scene.control.TabPane.class);
        assertThat(((javafx.scene.control.TextArea) tabs.getTabs().get(0).getContent()).getText())
                .contains("must leave snd_hda_intel");
        assertThat(window.graph().isPreviewed(GPU)).as("the plan's moves are previewed on the graph").isTrue();
        assertThat(window.graph().isPreviewed(AUDIO)).isTrue();
        // every form of the plan is a tab with Copy: the libvirt one holds both functions' hostdevs
        assertThat(tabs.getTabs()).extracting(javafx.scene.control.Tab::getText)
                .containsExactly("Plan", "Script", "Persist", "Revert", "libvirt", "Proxmox", "QEMU");
        robot.interact(() -> tabs.getSelectionModel().select(2));
        robot.clickOn("#copy-persist");
        String[] persisted = new String[1];
        robot.interact(() -> persisted[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString());
        assertThat(persisted[0]).as("the persist tab, checked by a simulated boot")
                .contains("options vfio-pci ids=10de:2786,10de:22bc", "softdep nouveau pre: vfio-pci")
                .doesNotContain("would not work");
        robot.interact(() -> tabs.getSelectionModel().select(4));
        robot.clickOn("#copy-libvirt");
        String[] copied = new String[1];
        robot.interact(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString());
        assertThat(copied[0]).contains("function='0x0' multifunction='on'/>", "bus='0x01' slot='0x00' function='0x1'");
        javafx.scene.control.Button apply = (javafx.scene.control.Button)
                ((javafx.scene.control.DialogPane) dialog).lookupButton(PlanDialog.APPLY);
        assertThat(apply.isDisabled()).isFalse();
        robot.clickOn(apply);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.graph().groupBox(8).hasState(GroupState.USER_CLAIMED)).isTrue();
        assertThat(window.graph().isPreviewed(GPU)).as("the preview ends with the dialog").isFalse();
    }

    @Test
    void droppingOnEmptySpaceOrAWrongTargetDoesNothing(FxRobot robot) throws Exception {
        awaitLayout();
        Snapshot before = Snapshot.of(machine.kernel());
        robot.drag(device(robot, GPU)).moveBy(0, 500).release(javafx.scene.input.MouseButton.PRIMARY);
        robot.drag(device(robot, GPU)).dropTo(device(robot, "0000:02:00.0"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(before);
    }

    /**
     * Opens the selection's context menu the way a user does (right-click, or Enter on the keyboard) and
     * picks an item by its path of labels. Picking fires the item: under the headless test toolkit the
     * popup's own pointer and key handling is JavaFX's, not ours.
     */
    private void pick(FxRobot robot, String... path) {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.contextMenu().isShowing()).as("the context menu is open").isTrue();
        robot.interact(() -> {
            List<MenuItem> items = window.contextMenu().getItems();
            MenuItem found = null;
            for (String label : path) {
                found = items.stream().filter(i -> label.equals(i.getText())).findFirst()
                        .orElseThrow(() -> new AssertionError("no menu item " + label));
                items = found instanceof Menu m ? m.getItems() : List.of();
            }
            window.contextMenu().hide();
            found.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theContextMenuBindsAndTheSiblingIsRefused(FxRobot robot) throws Exception {
        awaitLayout();
        robot.rightClickOn(device(robot, GPU));
        pick(robot, "Bind to", "vfio-pci  (sets driver_override)");
        assertThat(machine.kernel().device(GPU).driver().name()).isEqualTo("vfio-pci");
        robot.rightClickOn(device(robot, AUDIO));
        pick(robot, "Bind to", "vfio-pci  (sets driver_override)");
        robot.rightClickOn(device(robot, AUDIO));
        pick(robot, "Give group 8 to VM", "New VM");
        assertThat(window.graph().groupBox(8).hasState(GroupState.BLOCKED)).isTrue();
        Snapshot before = Snapshot.of(machine.kernel());
        robot.rightClickOn(device(robot, AUDIO));
        pick(robot, "Bind to", "snd_hda_intel");
        assertThat(machine.lastResultProperty().get().errno()).isEqualTo(Errno.EBUSY);
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(before);
        assertThat(window.inspector().value("owner_cnt")).isEqualTo("1 (the user vfio-group 8, which claimed the group)");
    }

    /** Menu labels name kernel files: their underscores are shown, not taken as mnemonics. */
    @Test
    void theContextMenuShowsKernelNamesAsTheyAreAndOffersOnlyWhatApplies(FxRobot robot) throws Exception {
        awaitLayout();
        robot.rightClickOn(device(robot, GPU));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> shown = robot.lookup(".context-menu .label").queryAll().stream()
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList();
        assertThat(shown).contains("Set driver_override", "Clear driver_override", "Probe drivers (drivers_probe)");
        assertThat(shown).as("group 8 is in no VM").noneMatch(t -> t.startsWith("Take group"));
        robot.interact(() -> window.contextMenu().hide());
        robot.interact(() -> {
            machine.moveToDriver(GPU, "vfio-pci");
            machine.moveToDriver(AUDIO, "vfio-pci");
            machine.giveGroupToVm(8, machine.addVm());
        });
        robot.rightClickOn(device(robot, GPU));
        pick(robot, "Take group 8 from VM1");
        assertThat(window.graph().groupBox(8).hasState(GroupState.DEFAULT_DOMAIN)).isTrue();
    }

    @Test
    void everythingWorksFromTheKeyboard(FxRobot robot) throws Exception {
        awaitLayout();
        robot.clickOn("#search").write("HDMI audio").press(KeyCode.ENTER).release(KeyCode.ENTER);
        assertThat(machine.selectionProperty().get().id()).isEqualTo(AUDIO);
        robot.interact(() -> window.graph().requestFocus());
        // Enter opens the selection's menu
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        pick(robot, "Unbind");
        assertThat(machine.kernel().device(AUDIO).driver()).isNull();
        assertThat(machine.kernel().group(8).ownerCount()).isEqualTo(1);
        // Up walks to the GPU; Delete unbinds it; the group is unowned now
        robot.interact(() -> window.graph().requestFocus());
        robot.press(KeyCode.UP).release(KeyCode.UP);
        assertThat(machine.selectionProperty().get().id()).isEqualTo(GPU);
        robot.press(KeyCode.DELETE).release(KeyCode.DELETE);
        assertThat(window.graph().groupBox(8).hasState(GroupState.DEFAULT_DOMAIN)).isTrue();
        // Ctrl+Z and Ctrl+Shift+Z
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        assertThat(machine.kernel().device(GPU).driver().name()).isEqualTo("nouveau");
        assertThat(window.graph().groupBox(8).hasState(GroupState.DMA_API_OWNED)).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z).release(KeyCode.Z, KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(machine.kernel().device(GPU).driver()).isNull();
    }

    @Test
    void aMalformedFileIsRefusedWithItsLocationAndTheMachineStays(FxRobot robot, @TempDir Path dir)
            throws Exception {
        awaitLayout();
        robot.drag(device(robot, GPU)).dropTo("#drv-vfio-pci");
        Snapshot before = Snapshot.of(machine.kernel());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"x\",\n \"devices\": [{\"id\": \"0000:00:01.0\", \"parent\": \"0000:09:00.0\"}],\n"
                + " \"drivers\": []}");
        robot.interact(() -> window.open(bad));
        Node dialog = robot.lookup("#open-error").query();
        assertThat(robot.from(dialog).lookup(".content").queryLabeled().getText())
                .contains("bad.json:2:", "$.devices[0].parent", "unknown device \"0000:09:00.0\"");
        assertThat(Snapshot.of(machine.kernel())).isEqualTo(before);
        assertThat(machine.history().canUndoProperty().get()).as("the user's history is kept").isTrue();
    }

    @Test
    void openingAGoodFileShowsItsMachine(FxRobot robot) throws Exception {
        awaitLayout();
        robot.interact(() -> window.open(Path.of("topologies/t2-pcibridge.json")));
        awaitLayout();
        assertThat(window.graph().groupBox(3).item().summaryProperty().get()).contains("DMA-API owned", "K(2)");
        assertThat(window.graph().deviceNode("0000:02:02.0")).isNotNull();
    }

    /** The last operation's groups are marked "changed" (OpResult.changedGroups()); the next operation moves the mark. */
    @Test
    void onlyTheGroupsTheLastOperationChangedAreMarked(FxRobot robot) throws Exception {
        awaitLayout();
        javafx.css.PseudoClass changed = javafx.css.PseudoClass.getPseudoClass("changed");
        robot.interact(() -> machine.unbind(GPU));
        assertThat(window.graph().groupBox(8).getPseudoClassStates()).contains(changed);
        assertThat(window.graph().groupBox(9).getPseudoClassStates()).doesNotContain(changed);
        robot.interact(() -> machine.unbind("0000:02:00.0")); // the NVMe SSD, alone in group 9
        assertThat(window.graph().groupBox(8).getPseudoClassStates()).doesNotContain(changed);
        assertThat(window.graph().groupBox(9).getPseudoClassStates()).contains(changed);
    }

    @Test
    void afterUndoTheStatusAndTheCallPathSayWhatWasUndone(FxRobot robot) throws Exception {
        awaitLayout();
        robot.interact(() -> machine.moveToDriver(AUDIO, "vfio-pci"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.callPath.headingText()).startsWith("give 0000:01:00.1 to vfio-pci");
        robot.interact(() -> machine.history().undo()); // as Edit → Undo does
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().device(AUDIO).driver().name()).isEqualTo("snd_hda_intel");
        assertThat(window.status.getText()).startsWith("Undone: give 0000:01:00.1 to vfio-pci");
        assertThat(window.callPath.headingText()).startsWith("Undone: give")
                .contains("as it was before it");
        robot.interact(() -> machine.history().redo());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.callPath.headingText()).as("a redo shows the operation again").startsWith("give");
    }

    @Test
    void aVmShowsItsIommuAndGivesItsGroupBackFromItsMenu(FxRobot robot) throws Exception {
        awaitLayout();
        robot.interact(() -> {
            machine.moveToDriver(GPU, "vfio-pci");
            machine.moveToDriver(AUDIO, "vfio-pci");
            String vm = machine.addVm();
            machine.giveGroupToVm(8, vm);
            machine.startVm(vm);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#vm-iommu-VM1").queryAs(javafx.scene.control.Label.class).getText())
                .isEqualTo("IOMMU type1v2: started");
        robot.rightClickOn("#vm-VM1");
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> {
            MenuItem back = window.contextMenu().getItems().stream()
                    .filter(i -> "Take group 8 back from VM1".equals(i.getText())).findFirst().orElseThrow();
            window.contextMenu().hide();
            back.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().group(8).owner()).as("the group is given back").isNull();
    }
}
