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
        List<KernelEvent> heard = new ArrayList<>();
        k.addListener(heard::add);
        k.unbind(NIC_A);
        k.undo();
        assertThat(heard).extracting(KernelEvent::kind).containsExactly(KernelEvent.Kind.OPERATION,
                KernelEvent.Kind.UNDO);
        assertThat(heard.get(0).groupsTouched()).containsExactly(7);
        assertThat(heard.get(1).groupsTouched()).containsExactly(7);
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
