package dev.iommufx.ui.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.IommufxApp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view-models follow the kernel's events without a stage, and touch only what an event names. */
class MachineViewModelTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";

    private static MachineViewModel workstation() {
        MachineViewModel machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        return machine;
    }

    @Test
    void aBindRefreshesOnlyItsOwnGroupAndTheDriversItLeftAndJoined() {
        MachineViewModel machine = workstation();
        List<Integer> refreshed = new ArrayList<>();
        for (GroupItem g : machine.items().groups()) {
            g.summaryProperty().addListener((o, was, now) -> refreshed.add(g.id()));
        }
        DriverItem vfio = machine.items().driver("pci", "vfio-pci");
        DriverItem hda = machine.items().driver("pci", "snd_hda_intel");
        int hdaBefore = hda.boundCountProperty().get();
        machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(refreshed).containsOnly(8).isNotEmpty();
        assertThat(machine.items().group(8).stateProperty().get()).isEqualTo(GroupState.DMA_API_OWNED);
        assertThat(machine.items().device(AUDIO).driverProperty().get()).isEqualTo("vfio-pci");
        assertThat(vfio.boundCountProperty().get()).isEqualTo(1);
        assertThat(vfio.boundDevices()).containsExactly(AUDIO);
        assertThat(hda.boundCountProperty().get()).isEqualTo(hdaBefore - 1);
    }

    @Test
    void undoAndRedoFlowThroughTheSameEvents() {
        MachineViewModel machine = workstation();
        machine.moveToDriver(GPU, "vfio-pci");
        machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(machine.items().group(8).stateProperty().get()).isEqualTo(GroupState.DEFAULT_DOMAIN);
        machine.history().undo();
        assertThat(machine.items().group(8).stateProperty().get()).isEqualTo(GroupState.DMA_API_OWNED);
        assertThat(machine.items().device(AUDIO).driverProperty().get()).isEqualTo("snd_hda_intel");
        machine.history().redo();
        assertThat(machine.items().group(8).stateProperty().get()).isEqualTo(GroupState.DEFAULT_DOMAIN);
    }

    @Test
    void refusalsAreHeardOnTheOneChannel() {
        MachineViewModel machine = workstation();
        List<String> heard = new ArrayList<>();
        machine.subscribe(KernelEvent.OperationRefused.class, e -> heard.add(e.result().errno().name()));
        String vm = machine.addVm();
        assertThat(machine.vms().names()).containsExactly(vm);
        machine.moveToDriver(GPU, "vfio-pci");
        machine.giveGroupToVm(8, vm);
        assertThat(heard).containsExactly("EPERM");
        assertThat(machine.isReplaying()).as("the user's own refusal").isFalse();
    }

    /** kernel-model §2: bind_store() finds the device on its driver's bus only; a device of another bus is ENODEV. */
    @Test
    void aDropOnADriverOfAnotherBusIsAskedAndRefusedByTheKernel() throws Exception {
        MachineViewModel machine = new MachineViewModel();
        machine.load(twoBuses());
        machine.recorder().start("wrong bus");
        Snapshot before = Snapshot.of(machine.kernel());
        List<OpResult> refused = new ArrayList<>();
        machine.subscribe(KernelEvent.OperationRefused.class, e -> refused.add(e.result()));

        OpResult r = machine.moveToDriver("e0700000.xgmac", machine.items().driver("pci", "vfio-pci"));

        assertThat(r.errno()).isEqualTo(Errno.ENODEV);
        assertThat(r.cause().function()).isEqualTo("bind_store");
        assertThat(r.cause().reason()).contains("no device e0700000.xgmac on the pci bus");
        assertThat(refused).containsExactly(r);
        assertThat(machine.lastResultProperty().get()).isSameAs(r);
        assertThat(Snapshot.of(machine.kernel())).as("the unbind and driver_override before it are unwound")
                .isEqualTo(before);
        assertThat(machine.items().device("e0700000.xgmac").driverProperty().get()).isEqualTo("amd-xgbe");
        assertThat(machine.recorder().steps()).as("the vocabulary cannot name another bus's driver").isEmpty();

        // the device's own bus's VFIO driver takes it, through the same drop
        OpResult ok = machine.moveToDriver("e0700000.xgmac", machine.items().driver("platform", "vfio-platform"));
        assertThat(ok.ok()).isTrue();
        assertThat(machine.recorder().steps()).hasSize(1);
    }

    @Test
    void openingAnotherMachineEndsTheRecordingAndKeepsItsSteps() {
        MachineViewModel machine = workstation();
        machine.recorder().start("passthrough");
        machine.moveToDriver(GPU, "vfio-pci");
        machine.load(machine.kernel().topology()); // as File → Open, a paste or a profile change do
        assertThat(machine.recorder().recordingProperty().get()).isFalse();
        machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(machine.recorder().recording().steps()).hasSize(1);
    }

    @Test
    void theUndoFlagsAndTheRecorderFollowTheEnginesHistoryEvents() {
        MachineViewModel machine = workstation();
        machine.recorder().start("passthrough");
        HistoryViewModel history = machine.history();
        assertThat(history.canUndoProperty().get()).isFalse();
        machine.moveToDriver(GPU, "vfio-pci");
        assertThat(history.canUndoProperty().get()).isTrue();
        assertThat(history.sizeProperty().get()).isEqualTo(machine.kernel().historySize()).isEqualTo(1);
        assertThat(machine.recorder().steps()).hasSize(1);
        history.undo();
        assertThat(history.canUndoProperty().get()).isFalse();
        assertThat(history.canRedoProperty().get()).isTrue();
        assertThat(machine.recorder().steps()).as("the undone step leaves the recording").isEmpty();
        history.redo();
        assertThat(history.canRedoProperty().get()).isFalse();
        assertThat(machine.recorder().steps()).hasSize(1);
    }

    /**
     * An undo after a refusal takes back the operation before it (the refusal is not in the engine's history): the
     * recording loses that operation's step and the refusal answered after it, and a redo puts both back, so the
     * recording always replays to the machine on screen.
     */
    @Test
    void anUndoAfterARefusalTakesBackTheOperationTheEngineUndid() {
        MachineViewModel machine = workstation();
        machine.recorder().start("passthrough");
        machine.moveToDriver(GPU, "vfio-pci");
        String vm = machine.addVm();
        OpResult refused = machine.giveGroupToVm(8, vm);
        assertThat(refused.errno()).isEqualTo(Errno.EPERM);
        assertThat(refused.inHistory()).isFalse();
        assertThat(machine.recorder().steps()).extracting(s -> s.kind().key())
                .containsExactly("move", "add_vm", "give_group_to_vm");

        machine.history().undo(); // the engine undoes add_vm, not the refusal

        assertThat(machine.vms().names()).as("the undone container is gone").isEmpty();
        assertThat(machine.recorder().steps()).extracting(s -> s.kind().key()).containsExactly("move");
        machine.history().redo();
        assertThat(machine.vms().names()).containsExactly(vm);
        assertThat(machine.recorder().steps()).extracting(s -> s.kind().key())
                .containsExactly("move", "add_vm", "give_group_to_vm");
        assertThat(machine.recorder().steps().get(2).expect().result()).isEqualTo("EPERM");
    }

    @Test
    void theVmsAreTheEnginesContainersAndTheNextNameIsTheFirstFreeOne() {
        MachineViewModel machine = workstation();
        assertThat(machine.addVm()).isEqualTo("VM1");
        assertThat(machine.addVm()).isEqualTo("VM2");
        machine.moveToDriver(GPU, "vfio-pci");
        machine.moveToDriver(AUDIO, "vfio-pci");
        machine.giveGroupToVm(8, "VM2");
        VmItem vm2 = machine.vms().vm("VM2");
        assertThat(vm2.groupsProperty().get()).containsExactly(8);
        assertThat(machine.items().group(8).vmProperty().get()).isEqualTo("VM2");
        machine.startVm("VM2");
        assertThat(vm2.iommuProperty().get()).isEqualTo("type1v2");

        machine.takeGroupFromVm(8);
        assertThat(vm2.groupsProperty().get()).isEmpty();
        machine.history().undo(); // the group goes back into VM2
        assertThat(vm2.groupsProperty().get()).containsExactly(8);
        for (int i = 0; i < 4; i++) {
            machine.history().undo(); // start, give, both moves
        }
        machine.history().undo(); // add VM2
        assertThat(machine.vms().names()).containsExactly("VM1");
        assertThat(machine.addVm()).as("VM2 is free again in the engine").isEqualTo("VM2");
    }

    @Test
    void stepsOfAScenarioArePlayedNotTheUsersOwn() throws Exception {
        MachineViewModel machine = workstation();
        var scenario = dev.iommufx.io.MachineFiles.load(
                java.nio.file.Path.of("topologies/scenarios/workstation-gpu-passthrough.json"));
        machine.play(scenario);
        List<Boolean> replayingWhenRefused = new ArrayList<>();
        machine.subscribe(KernelEvent.OperationRefused.class, e -> replayingWhenRefused.add(machine.isReplaying()));
        PlayerViewModel player = machine.player();
        player.playTo(Integer.MAX_VALUE);
        assertThat(player.positionProperty().get()).isEqualTo(player.size());
        assertThat(replayingWhenRefused).as("the scenario has refused steps").isNotEmpty().containsOnly(true);
        assertThat(player.stepText(6)).startsWith("✓ 7. vfio_set_container").contains("EPERM");
        player.back();
        assertThat(player.positionProperty().get()).isEqualTo(player.size() - 1);
        machine.unbind(GPU); // the user's own operation leaves the scenario
        assertThat(player.isOpen()).isFalse();
        assertThat(player.scenarioProperty().get()).isNull();
    }

    @Test
    void everyMachineShownIsHeardOnOneChannel() {
        MachineViewModel machine = workstation();
        List<KernelEvent.MachineReplaced> replaced = new ArrayList<>();
        machine.subscribe(KernelEvent.MachineReplaced.class, replaced::add);
        machine.moveToDriver(GPU, "vfio-pci");
        Kernel first = machine.kernel();
        machine.load(first.topology());
        assertThat(replaced).containsExactly(new KernelEvent.MachineReplaced(first, machine.kernel()));
        assertThat(machine.history().canUndoProperty().get()).as("a new machine has no history").isFalse();
        machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(machine.items().device(AUDIO).driverProperty().get()).as("the new machine's events are heard")
                .isEqualTo("vfio-pci");
        assertThat(machine.history().canUndoProperty().get()).isTrue();
    }

    @Test
    void aListenerThatFailsIsReportedAndTheOthersStillHear() {
        MachineViewModel machine = workstation();
        List<RuntimeException> reported = new ArrayList<>();
        machine.reportListenerFailuresTo(reported::add);
        machine.subscribe(KernelEvent.OperationDone.class, e -> {
            throw new IllegalStateException("a broken view");
        });
        machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(reported).extracting(Throwable::getMessage).containsExactly("a broken view");
        assertThat(machine.items().device(AUDIO).driverProperty().get()).isEqualTo("vfio-pci");
    }

    private static dev.iommufx.model.Topology twoBuses() throws Exception {
        try (InputStream in = MachineViewModelTest.class.getResourceAsStream("/ui/two-buses.json")) {
            return TopologyReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "two-buses.json");
        }
    }

    @Test
    void aScenarioWithABootConfigurationStartsOnTheBootedMachineAndKeepsItAcrossProfiles() throws Exception {
        MachineViewModel machine = new MachineViewModel();
        machine.play(dev.iommufx.io.ScenarioReader.read(
                java.nio.file.Path.of("topologies/scenarios/boot/02-vfio-pci-first.json")));
        assertThat(machine.kernel().device(GPU).driver().name()).as("kernel-model §2.7: the softdep boot")
                .isEqualTo("vfio-pci");
        assertThat(machine.bootConfig()).isNotNull();
        machine.setProfile(dev.iommufx.engine.Profile.fromKey("newest"));
        assertThat(machine.kernel().device(GPU).driver().name()).as("booted again with the same files")
                .isEqualTo("vfio-pci");
        assertThat(machine.describedTopology().devices()).filteredOn(d -> d.id().equals(GPU))
                .extracting(d -> d.driver()).containsExactly("nouveau");
        machine.load(IommufxApp.defaultTopology());
        assertThat(machine.bootConfig()).as("another machine: no boot configuration").isNull();
    }

    @Test
    void aRefusalByAVmsGroupNamesTheVm() {
        MachineViewModel machine = workstation();
        machine.moveToDriver(GPU, "vfio-pci");
        machine.moveToDriver(AUDIO, "vfio-pci");
        String vm = machine.addVm();
        machine.giveGroupToVm(8, vm);
        machine.startVm(vm);
        OpResult r = machine.moveToDriver(AUDIO, "snd_hda_intel");
        assertThat(r.errno()).as("kernel-model §4.8: a kernel driver into a user-owned group").isEqualTo(Errno.EBUSY);
        String said = machine.vms().explain(r.cause().reason());
        assertThat(said).contains("vfio-group 8 (" + vm + ")");
    }

    @Test
    void theMachineOnScreenExportsAsPngSvgAndTheForumListing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        MachineViewModel machine = workstation();
        machine.moveToDriver(GPU, "vfio-pci");
        String listing = machine.pictures().groupListing();
        assertThat(listing).contains("IOMMU Group 8:", "01:00.0", "Kernel driver in use: vfio-pci");
        java.nio.file.Path png = dir.resolve("groups.png");
        assertThat(machine.pictures().export(png)).startsWith("Saved the picture as PNG");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        java.nio.file.Path svg = dir.resolve("groups.svg");
        assertThat(machine.pictures().export(svg)).startsWith("Saved the picture as SVG");
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(java.nio.file.Files.readString(svg)).contains("Linux 6.1");
    }

    @Test
    void aMoveThatLeavesTheGroupDmaApiOwnedSaysWhoKeepsIt() {
        MachineViewModel machine = workstation();
        OpResult r = machine.moveToDriver(GPU, "vfio-pci");
        assertThat(machine.whyGroupStays(r)).isEqualTo("group 8 stays DMA-API owned: 0000:01:00.1 is bound to "
                + "snd_hda_intel (every member must leave its DMA-API driver before a VM can claim it)");
        OpResult second = machine.moveToDriver(AUDIO, "vfio-pci");
        assertThat(machine.whyGroupStays(second)).as("the group changed: nothing to explain").isNull();
    }
}
