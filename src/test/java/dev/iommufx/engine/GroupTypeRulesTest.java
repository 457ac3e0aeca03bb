package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.SINGLE_NIC;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Writes to /sys/kernel/iommu_groups/N/type (kernel-model §5 and §9 S5, 6.1). */
class GroupTypeRulesTest {
    private final Kernel k = Kernel.boot(SpecMachines.spec());

    @Test
    void theS5SequenceOnASingletonGroup() {
        // §9 S5(a), with the fixture T1-rootports-type for the log lines
        OpResult bound = k.setGroupType(12, "identity");
        assertThat(bound.errno()).isEqualTo(Errno.EBUSY);
        assertThat(bound.log()).containsExactly("iommu: Device is still bound to driver");
        k.setGroupType(12, "DMA-FQ"); // current type is DMA-FQ: not the DMA->DMA-FQ exception
        assertThat(k.setGroupType(12, "DMA-FQ").errno()).isEqualTo(Errno.EBUSY);
        k.unbind(SINGLE_NIC);
        assertThat(k.setGroupType(12, "DMA").ok()).isTrue();
        k.bind(SINGLE_NIC, "e1000e");
        assertThat(k.setGroupType(12, "DMA-FQ").ok()).as("DMA -> DMA-FQ in place while bound").isTrue();
        assertThat(k.group(12).sysfsType()).isEqualTo("DMA-FQ");
        k.unbind(SINGLE_NIC);
        assertThat(k.setGroupType(12, "identity").ok()).isTrue();
        assertThat(k.group(12).sysfsType()).isEqualTo("identity");
        assertThat(k.setGroupType(12, "bogus").errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.group(12).sysfsType()).isEqualTo("identity");
    }

    @Test
    void autoPicksTheGlobalDefault() {
        // fixture T1-rootports-type step 16: "auto" after identity -> DMA-FQ (iommu_def_domain_type)
        k.unbind(SINGLE_NIC);
        k.setGroupType(12, "identity");
        assertThat(k.setGroupType(12, "auto").ok()).isTrue();
        assertThat(k.group(12).sysfsType()).isEqualTo("DMA-FQ");
    }

    @Test
    void aClaimedGroupStillReadsItsDefaultType() {
        // §9 S5 step 5: bound to vfio-pci and claimed -> -EBUSY (device bound); type still reads identity
        k.unbind(SINGLE_NIC);
        k.setGroupType(12, "identity");
        k.driverOverride(SINGLE_NIC, "vfio-pci");
        k.bind(SINGLE_NIC, "vfio-pci");
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(12, "G");
        k.vfioSetContainer("G", "C");
        assertThat(k.setGroupType(12, "DMA").errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.group(12).sysfsType()).isEqualTo("identity");
    }

    @Test
    void aMultiDeviceGroupIsRefusedBeforeTheBindingIsLookedAt() {
        // §9 S5(b) and fixture T2-pcibridge-type: more than one device -> -EINVAL with that log line,
        // but a bad string is refused first, without it (T2-pcibridge-type step 13)
        OpResult r = k.setGroupType(7, "identity");
        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        assertThat(r.log()).containsExactly("iommu: Cannot change default domain: Group has more than one device");
        assertThat(k.setGroupType(7, "bogus").log()).isEmpty();
    }

    @Test
    void aGroupOffItsDefaultDomainIsRefused() {
        // §5 iommu_change_dev_def_domain(): "Group not assigned to default domain" -> -EBUSY
        k.unbind(SINGLE_NIC);
        k.claimDmaOwner(12, "kernel user");
        OpResult r = k.setGroupType(12, "identity");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(r.cause().function()).isEqualTo("iommu_change_dev_def_domain");
    }
}
