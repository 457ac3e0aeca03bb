package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binds and unbinds run one kernel phase at a time (kernel-model §2.2, §2.3 and Robin Murphy's cases in
 * §7d). Group 7 = {NIC_A, NIC_B}, both on e1000e at boot (§9 S1 step 0: K(2)).
 */
class SteppedProbeTest {
    private Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot(SpecMachines.spec());
    }

    @Test
    void anUnbindInPhasesGivesBackTheCountAtDmaCleanupAndEndsLikeAnAtomicUnbind() {
        // §2.3: remove() first, dma_cleanup second (owner_cnt drops here), dev->driver = NULL last
        Snapshot atomic = snapshotAfterAtomicUnbind();
        assertThat(k.unbindPhase(NIC_A, "remove").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(2);
        assertThat(k.device(NIC_A).driver()).isNotNull();
        assertThat(k.unbindPhase(NIC_A, "dma_cleanup").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
        assertThat(k.device(NIC_A).phase()).isEqualTo(Phase.DMA_CLEANED);
        assertThat(k.unbindPhase(NIC_A, "clear_driver").errno()).isEqualTo(Errno.OK);
        assertThat(Snapshot.of(k)).isEqualTo(atomic);
    }

    @Test
    void robinsCase2HandsTheOwnershipFromTheLeavingDeviceToTheBindingOne() {
        // §7d case 2.a.i: B is removed while A binds; A's dma_configure first -> K(2), then B's cleanup -> K(1)
        k.unbind(NIC_A);
        k.bindPhase(NIC_A, "e1000e", "set_driver");
        k.unbindPhase(NIC_B, "remove");
        assertThat(k.bindPhase(NIC_A, null, "dma_configure").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(2);
        k.unbindPhase(NIC_B, "dma_cleanup");
        k.unbindPhase(NIC_B, "clear_driver");
        k.bindPhase(NIC_A, null, "probe");
        assertThat(GroupState.code(k.group(7))).isEqualTo("K(1)");
        assertThat(k.device(NIC_A).sysfsDriver().name()).isEqualTo("e1000e");
        assertThat(k.device(NIC_B).sysfsDriver()).isNull();
    }

    @Test
    void phasesOutOfOrderAreRefusedAndChangeNothing() {
        Snapshot before = Snapshot.of(k);
        assertThat(k.unbindPhase(NIC_A, "dma_cleanup").errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.bindPhase(NIC_A, null, "probe").errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.bindPhase(NIC_A, "e1000e", "set_driver").errno()).isEqualTo(Errno.EBUSY); // already bound
        assertThat(Snapshot.of(k)).isEqualTo(before);
    }

    @Test
    void aDeviceBetweenPhasesIsLockedAgainstOtherWrites() {
        // the device lock is held across the phases; the engine answers EBUSY where the kernel would wait
        k.unbindPhase(NIC_A, "remove");
        assertThat(k.unbindFrom(NIC_A, "e1000e").errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.driverOverride(NIC_A, "vfio-pci").errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.remove(NIC_A).errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.unbind(NIC_B).errno()).isEqualTo(Errno.OK); // the sibling is not locked
    }

    @Test
    void aRefusedDmaConfigurePhaseUnwindsTheDriverPointerAndCanBeUndone() {
        // §2.2: dma_configure fails -> pinctrl_bind_failed: dev->driver = NULL, no dma_cleanup.
        // The group is user-claimed, so use_default_domain answers -EBUSY (§3.1, §9 S1 step 11).
        k.unbind(NIC_A);
        k.unbind(NIC_B);
        k.claimDmaOwner(7, "user");
        k.bindPhase(NIC_A, "e1000e", "set_driver");
        Snapshot between = Snapshot.of(k);
        OpResult refused = k.bindPhase(NIC_A, null, "dma_configure");
        assertThat(refused.errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.device(NIC_A).driver()).isNull();
        assertThat(k.device(NIC_A).phase()).isNull();
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
        // the unwinding undid the set_driver phase, so it is history: undo brings the half-bound device back
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(between);
        k.redo();
        assertThat(k.device(NIC_A).driver()).isNull();
    }

    private Snapshot snapshotAfterAtomicUnbind() {
        Kernel other = Kernel.boot(SpecMachines.spec());
        other.unbind(NIC_A);
        return Snapshot.of(other);
    }
}
