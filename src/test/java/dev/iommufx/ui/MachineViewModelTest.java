package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.ui.vm.MachineViewModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view-model follows the kernel's events without a stage, and touches only what an event names. */
class MachineViewModelTest {

    @Test
    void aBindRefreshesOnlyItsOwnGroup() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        List<Integer> refreshed = new ArrayList<>();
        for (IommuGroup g : vm.kernel().groups()) {
            vm.group(g.id()).summaryProperty().addListener((o, was, now) -> refreshed.add(g.id()));
        }
        vm.moveToDriver("0000:01:00.1", "vfio-pci");
        assertThat(refreshed).containsOnly(8).isNotEmpty();
        assertThat(vm.group(8).stateProperty().get()).isEqualTo(GroupState.DMA_API_OWNED);
        assertThat(vm.device("0000:01:00.1").driverProperty().get()).isEqualTo("vfio-pci");
    }

    @Test
    void undoAndRedoFlowThroughTheSameEvents() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        vm.moveToDriver("0000:01:00.0", "vfio-pci");
        vm.moveToDriver("0000:01:00.1", "vfio-pci");
        assertThat(vm.group(8).stateProperty().get()).isEqualTo(GroupState.DEFAULT_DOMAIN);
        vm.undo();
        assertThat(vm.group(8).stateProperty().get()).isEqualTo(GroupState.DMA_API_OWNED);
        assertThat(vm.device("0000:01:00.1").driverProperty().get()).isEqualTo("snd_hda_intel");
        vm.redo();
        assertThat(vm.group(8).stateProperty().get()).isEqualTo(GroupState.DEFAULT_DOMAIN);
    }

    @Test
    void refusalsAreAnnounced() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        List<String> heard = new ArrayList<>();
        vm.onRefusal(r -> heard.add(r.errno().name()));
        String vmName = vm.addVm();
        assertThat(vm.vms()).containsExactly(vmName);
        vm.moveToDriver("0000:01:00.0", "vfio-pci");
        vm.giveGroupToVm(8, vmName);
        assertThat(heard).containsExactly("EPERM");
    }

    @Test
    void openingAnotherMachineEndsTheRecordingAndKeepsItsSteps() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        vm.recorder().start("passthrough");
        vm.moveToDriver("0000:01:00.0", "vfio-pci");
        vm.load(vm.kernel().topology()); // as File → Open, a paste or a profile change do
        assertThat(vm.recorder().recordingProperty().get()).isFalse();
        vm.moveToDriver("0000:01:00.1", "vfio-pci");
        assertThat(vm.recorder().recording().steps()).hasSize(1);
    }

    @Test
    void theUndoFlagsAndTheRecorderFollowTheEnginesHistoryEvents() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        vm.recorder().start("passthrough");
        assertThat(vm.canUndoProperty().get()).isFalse();
        vm.moveToDriver("0000:01:00.0", "vfio-pci");
        assertThat(vm.canUndoProperty().get()).isTrue();
        assertThat(vm.recorder().steps()).hasSize(1);
        vm.undo();
        assertThat(vm.canUndoProperty().get()).isFalse();
        assertThat(vm.canRedoProperty().get()).isTrue();
        assertThat(vm.recorder().steps()).as("the undone step leaves the recording").isEmpty();
        vm.redo();
        assertThat(vm.canRedoProperty().get()).isFalse();
        assertThat(vm.recorder().steps()).hasSize(1);
    }

    @Test
    void everyMachineShownIsHeardOnOneChannel() {
        MachineViewModel vm = new MachineViewModel();
        vm.load(IommufxApp.defaultTopology());
        List<KernelEvent.MachineReplaced> replaced = new ArrayList<>();
        vm.events().subscribe(KernelEvent.MachineReplaced.class, replaced::add);
        vm.moveToDriver("0000:01:00.0", "vfio-pci");
        Kernel first = vm.kernel();
        vm.load(first.topology());
        assertThat(replaced).containsExactly(new KernelEvent.MachineReplaced(first, vm.kernel()));
        assertThat(vm.canUndoProperty().get()).as("a new machine has no history").isFalse();
        vm.moveToDriver("0000:01:00.1", "vfio-pci");
        assertThat(vm.device("0000:01:00.1").driverProperty().get()).as("the new machine's events are heard")
                .isEqualTo("vfio-pci");
        assertThat(vm.canUndoProperty().get()).isTrue();
    }
}
