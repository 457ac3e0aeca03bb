package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Undo and redo come from the changes each operation recorded. */
class HistoryTest {

    @Test
    void undoAndRedoRestoreExactStates() {
        Kernel k = Kernel.boot(SpecMachines.spec());
        Snapshot s0 = Snapshot.of(k);
        k.unbind(NIC_A);
        Snapshot s1 = Snapshot.of(k);
        k.unbind(NIC_B);
        Snapshot s2 = Snapshot.of(k);
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(s1);
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(s0);
        assertThat(k.canUndo()).isFalse();
        k.redo();
        k.redo();
        assertThat(Snapshot.of(k)).isEqualTo(s2);
    }

    @Test
    void aNewOperationForgetsTheRedoneFuture() {
        Kernel k = Kernel.boot(SpecMachines.spec());
        k.unbind(NIC_A);
        k.undo();
        k.unbind(NIC_B);
        assertThat(k.canRedo()).isFalse();
    }

    @Test
    void failedOperationsAreNotInTheHistory() {
        Kernel k = Kernel.boot(SpecMachines.spec());
        assertThat(k.bind(NIC_A, "vfio-pci").ok()).isFalse();
        assertThat(k.canUndo()).isFalse();
    }

    @Test
    void listenersHearTheGroupsAnOperationTouched() {
        Kernel k = Kernel.boot(SpecMachines.spec());
        List<KernelEvent.StateChanged> heard = new ArrayList<>();
        k.events().subscribe(KernelEvent.StateChanged.class, heard::add);
        k.unbind(NIC_A);
        k.undo();
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0)).isInstanceOf(KernelEvent.OperationDone.class);
        assertThat(heard.get(1)).isInstanceOf(KernelEvent.Undone.class);
        assertThat(heard.get(0).groupsTouched()).containsExactly(7);
        assertThat(heard.get(1).groupsTouched()).containsExactly(7);
    }

    @Test
    void aResultSaysWhetherItEnteredTheHistory() {
        Kernel k = Kernel.boot(SpecMachines.spec());
        assertThat(k.bind(NIC_A, "vfio-pci").inHistory()).as("refused: nothing changed").isFalse();
        assertThat(k.driversProbe(NIC_A).inHistory()).as("ok, but the device already has a driver").isFalse();
        OpResult unbind = k.unbind(NIC_A);
        assertThat(unbind.inHistory()).isTrue();
        assertThat(k.historySize()).isEqualTo(1);
        assertThat(k.undo()).isSameAs(unbind);
        Kernel none = Kernel.boot(SpecMachines.spec(), 0);
        assertThat(none.unbind(NIC_A).inHistory()).as("a history of 0 keeps nothing").isFalse();
        assertThat(none.canUndo()).isFalse();
    }

    @Test
    void aFailedBindPhaseWhoseUnwindingChangedStateEntersTheHistory() {
        // §7d: dma_configure refused after set_driver: the unwinding clears dev->driver, which undo puts back
        Kernel k = Kernel.boot(SpecMachines.spec());
        k.unbind(NIC_A);
        k.driverOverride(NIC_A, "vfio-pci");
        k.bind(NIC_A, "vfio-pci");
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(7, "G");
        k.unbind(NIC_B);
        k.bindPhase(NIC_B, "e1000e", "set_driver");
        k.vfioSetContainer("G", "C");
        OpResult refused = k.bindPhase(NIC_B, null, "dma_configure");
        assertThat(refused.errno()).isEqualTo(Errno.EBUSY);
        assertThat(refused.inHistory()).isTrue();
        assertThat(k.device(NIC_B).driver()).isNull();
        k.undo();
        assertThat(k.device(NIC_B).driver().name()).isEqualTo("e1000e");
    }

    @Test
    void anOperationRecordsAsManyChangesOnABigMachineAsOnASmallOne() {
        // "Engine history supports undo/redo in O(size of the change)": the change list of a bind does
        // not grow with the machine
        int small = changesOfRebind(10);
        int big = changesOfRebind(5_000);
        assertThat(big).isEqualTo(small).isPositive();
    }

    private static int changesOfRebind(int extraDevices) {
        Topology spec = SpecMachines.spec();
        List<DeviceSpec> devices = new ArrayList<>(spec.devices());
        List<GroupSpec> groups = new ArrayList<>(spec.groups());
        for (int i = 0; i < extraDevices; i++) {
            String bdf = String.format("0001:%02x:%02x.%x", i / 256, (i / 8) % 32, i % 8);
            devices.add(DeviceSpec.pci(bdf, null, 0x8086, 0x10d3, 0x020000, "e1000e", 100 + i, null));
            groups.add(new GroupSpec(100 + i, DomainType.DMA_FQ));
        }
        Kernel k = Kernel.boot(new Topology("big", "", DomainType.DMA_FQ, devices, spec.drivers(), groups));
        k.unbind(NIC_A);
        return k.bind(NIC_A, "e1000e").changes().size();
    }
}
