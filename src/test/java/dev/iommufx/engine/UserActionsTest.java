package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import org.junit.jupiter.api.Test;

/** Drag-sized actions are the kernel's own steps, and atomic as a whole. */
class UserActionsTest {
    private final Kernel k = Kernel.boot(SpecMachines.spec());
    private final UserActions actions = new UserActions(k);

    @Test
    void movingToVfioPciRunsUnbindOverrideAndBind() {
        OpResult r = actions.moveToDriver(NIC_A, "vfio-pci");
        assertThat(r.ok()).isTrue();
        assertThat(r.frames()).extracting(Frame::function).containsSubsequence("unbind_store",
                "driver_override_store", "bind_store");
        assertThat(k.device(NIC_A).driver().name()).isEqualTo("vfio-pci");
        k.undo();
        assertThat(k.device(NIC_A).driver().name()).isEqualTo("e1000e");
        assertThat(k.device(NIC_A).driverOverride()).isNull();
    }

    @Test
    void aRefusedMoveLeavesEverythingAsItWas() {
        // the bind of e1000e into a user-owned group is refused with EBUSY (§4.8); the unbind and
        // override before it are unwound too
        actions.moveToDriver(NIC_A, "vfio-pci");
        actions.moveToDriver(NIC_B, "vfio-pci");
        actions.addVm("VM1");
        assertThat(actions.giveGroupToVm(7, "VM1").ok()).isTrue();
        Snapshot before = Snapshot.of(k);
        OpResult r = actions.moveToDriver(NIC_B, "e1000e");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(r.cause().function()).isEqualTo("iommu_device_use_default_domain");
        assertThat(Snapshot.of(k)).isEqualTo(before);
    }

    @Test
    void givingAGroupToAVmClaimsAndAttaches() {
        actions.addVm("VM1");
        OpResult refused = actions.giveGroupToVm(7, "VM1");
        assertThat(refused.errno()).as("no VFIO driver yet: /dev/vfio/7 does not exist").isEqualTo(Errno.ENOENT);
        actions.moveToDriver(NIC_A, "vfio-pci");
        Snapshot before = Snapshot.of(k);
        assertThat(actions.giveGroupToVm(7, "VM1").errno()).as("B still on e1000e (§9 S1 step 6)")
                .isEqualTo(Errno.EPERM);
        assertThat(Snapshot.of(k)).as("the group fd opened on the way is closed again").isEqualTo(before);
        actions.moveToDriver(NIC_B, "vfio-pci");
        assertThat(actions.giveGroupToVm(7, "VM1").ok()).isTrue();
        assertThat(k.group(7).state()).isEqualTo(GroupState.BLOCKED);
        assertThat(actions.startVm("VM1").ok()).isTrue();
        assertThat(k.group(7).state()).isEqualTo(GroupState.USER_CLAIMED);
        assertThat(actions.takeGroupFromVm(7, "VM1").ok()).isTrue();
        assertThat(k.group(7).state()).isEqualTo(GroupState.DEFAULT_DOMAIN);
    }
}
