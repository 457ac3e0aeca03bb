package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.F0;
import static dev.iommufx.engine.SpecMachines.F1;
import static dev.iommufx.engine.SpecMachines.F2;
import static dev.iommufx.engine.SpecMachines.GPU;
import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static dev.iommufx.engine.SpecMachines.SINGLE_NIC;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IOMMU core's ownership rules (kernel-model §3, 6.1). Each test names the section or worked
 * scenario (§9) its expected values come from.
 */
class IommuCoreRulesTest {
    private Kernel k;

    @BeforeEach
    void boot() {
        k = Kernel.boot(SpecMachines.spec());
    }

    @Test
    void bootCountsEveryDmaApiDriverOfAGroup() {
        // §9 S1 step 0 and S8: e1000e on both functions -> K(2); three kernel drivers -> K(3)
        assertThat(k.group(7).ownerCount()).isEqualTo(2);
        assertThat(k.group(15).ownerCount()).isEqualTo(3);
        // §2.5: pcieport is driver_managed_dma, so S2's group 9 counts only nvme: K(1)
        assertThat(k.group(9).ownerCount()).isEqualTo(1);
        assertThat(k.group(7).state()).isEqualTo(GroupState.DMA_API_OWNED);
    }

    @Test
    void aClaimIsRefusedWithEpermWhileAKernelDriverUsesTheDmaApi() {
        // §3.3 and §9 S1 step 6 (fixture T3-multifunction-claim step 10): owner_cnt != 0 -> -EPERM
        assertThat(k.claimDmaOwner(7, "vfio-group 7").errno()).isEqualTo(Errno.EPERM);
        assertThat(k.group(7).owner()).isNull();
    }

    @Test
    void aSecondUserClaimIsRefusedWithEperm() {
        // §8 I2: at most one user owner (claim -EPERM when owner_cnt != 0)
        unbindBoth();
        assertThat(k.claimDmaOwner(7, "first").ok()).isTrue();
        OpResult second = k.claimDmaOwner(7, "second");
        assertThat(second.errno()).isEqualTo(Errno.EPERM);
        assertThat(k.group(7).owner()).isEqualTo("first");
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
    }

    @Test
    void aClaimPutsTheGroupOnItsBlockingDomain() {
        // §3.3 / §1.4: claim attaches the blocking domain (UB); §9 S1 step 9
        unbindBoth();
        assertThat(k.claimDmaOwner(7, "vfio-group 7").ok()).isTrue();
        IommuGroup g = k.group(7);
        assertThat(g.domain()).isSameAs(g.blockingDomain());
        assertThat(g.state()).isEqualTo(GroupState.BLOCKED);
        assertThat(GroupState.code(g)).isEqualTo("UB");
    }

    @Test
    void aKernelDriverIsRefusedWithEbusyInAUserOwnedGroup() {
        // §3.1 and §9 S1 step 11 (fixture T2-pcibridge-claim step 19): use_default_domain -> -EBUSY
        unbindBoth();
        k.claimDmaOwner(7, "vfio-group 7");
        OpResult r = k.bind(NIC_B, "e1000e");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(r.cause().function()).isEqualTo("iommu_device_use_default_domain");
        assertThat(r.cause().reason()).isEqualTo("group 7 is owned by user vfio-group 7");
        assertThat(k.device(NIC_B).driver()).isNull();
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
    }

    @Test
    void releaseReturnsToTheDefaultDomainAndClearsTheCount() {
        // §3.4 and §8 I7: release -> default domain, owner NULL, owner_cnt 0
        unbindBoth();
        k.claimDmaOwner(7, "x");
        k.attachGroup(7, "user");
        assertThat(k.releaseDmaOwner(7).warnings()).isEmpty();
        IommuGroup g = k.group(7);
        assertThat(g.domain()).isSameAs(g.defaultDomain());
        assertThat(g.owner()).isNull();
        assertThat(g.ownerCount()).isZero();
    }

    @Test
    void releasingAnUnownedGroupWarnsAndChangesNothing() {
        // §3.4: WARN_ON(owner_cnt == 0 || owner == NULL) on a K(2) group
        Snapshot before = Snapshot.of(k);
        OpResult r = k.releaseDmaOwner(7);
        assertThat(r.warnings()).hasSize(1).first().asString().contains("WARN_ON(!group->owner_cnt || !group->owner)");
        assertThat(Snapshot.of(k)).isEqualTo(before);
    }

    @Test
    void detachingTheUserDomainOfAnOwnedGroupLandsOnTheBlockingDomain() {
        // §3.7 __iommu_group_set_core_domain and §8 I8: owned -> blocking, never default
        unbindBoth();
        k.claimDmaOwner(7, "x");
        k.attachGroup(7, "user");
        assertThat(k.group(7).state()).isEqualTo(GroupState.USER_CLAIMED);
        k.detachGroup(7, "user");
        assertThat(k.group(7).domain()).isSameAs(k.group(7).blockingDomain());
        assertThat(k.group(7).state()).isEqualTo(GroupState.BLOCKED);
    }

    @Test
    void onlyOneNonCoreDomainAtATime() {
        // §3.7 __iommu_attach_group and §8 I9: -EBUSY unless on default or blocking
        unbindBoth();
        k.claimDmaOwner(7, "x");
        assertThat(k.attachGroup(7, "first").ok()).isTrue();
        OpResult second = k.attachGroup(7, "second");
        assertThat(second.errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.group(7).domain().label()).isEqualTo("private domain 'first'");
    }

    @Test
    void attachGroupHasNoOwnershipCheckIn61() {
        // §3.7 / §8 "Not guaranteed": a bound kernel driver moves a K(1) group to its domain (KX);
        // §9 S6c: a sibling's DMA-API bind is then refused with -EBUSY and a VFIO claim with -EPERM
        assertThat(k.attachGroup(15, "drm").ok()).isTrue();
        assertThat(GroupState.code(k.group(15))).isEqualTo("KX(3)");
        assertThat(k.group(15).state()).isEqualTo(GroupState.DMA_API_OWNED);
        k.unbind(F0);
        assertThat(k.bind(F0, "mfd-driver").errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.claimDmaOwner(15, "vfio").errno()).isEqualTo(Errno.EPERM);
        k.detachGroup(15, "drm");
        assertThat(GroupState.code(k.group(15))).isEqualTo("K(2)");
    }

    @Test
    void theFirstDmaApiUserIsAdmittedWhateverTheDomain() {
        // §3.1 "Consequences": owner_cnt == 0 is never checked against the domain; a second user is
        k.unbind(F0);
        k.unbind(F1);
        k.unbind(F2);
        k.attachGroup(15, "private");
        assertThat(k.claimDmaOwner(15, "vfio").errno()).isEqualTo(Errno.EBUSY); // §3.3: not on default domain
        assertThat(k.bind(F0, "mfd-driver").ok()).isTrue();
        assertThat(k.bind(F1, "mfd-driver").errno()).isEqualTo(Errno.EBUSY);
        assertThat(k.group(15).ownerCount()).isEqualTo(1);
    }

    @Test
    void attachDeviceNeedsASingletonGroup() {
        // §3.8 and §9 S6b: a 2-device group -> -EINVAL; S6a: a singleton -> 0 and KX(1)
        assertThat(k.attachDevice(NIC_A, "own").errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.attachDevice(GPU, "own").ok()).isTrue();
        assertThat(GroupState.code(k.group(13))).isEqualTo("KX(1)");
    }

    @Test
    void detachingADomainThatIsNotAttachedWarns() {
        // §9 S6a: iommu_detach_device(other_dom, dev) -> WARN, no change; the right one -> back to K(1)
        k.attachDevice(GPU, "own");
        OpResult wrong = k.detachDevice(GPU, "other");
        assertThat(wrong.warnings()).hasSize(1);
        assertThat(GroupState.code(k.group(13))).isEqualTo("KX(1)");
        assertThat(k.detachDevice(GPU, "own").warnings()).isEmpty();
        assertThat(GroupState.code(k.group(13))).isEqualTo("K(1)");
    }

    @Test
    void anExtraUnuseAtZeroWarnsAndLeavesTheCountAtZero() {
        // §3.2 and §9 S8 last sentence: a buggy extra unuse at U0 -> WARN, cnt stays 0
        unbindBoth();
        Device a = k.device(NIC_A);
        OpResult r = k.run("buggy unuse", () -> {
            k.subsystems().iommu().iommuDeviceUnuseDefaultDomain(a);
            return 0;
        });
        assertThat(r.warnings()).singleElement().asString().contains("WARN_ON(!group->owner_cnt)");
        assertThat(k.group(7).ownerCount()).isZero();
    }

    @Test
    void referenceCountingWithThreeKernelDrivers() {
        // §9 S8, step by step
        k.unbind(F0);
        assertThat(GroupState.code(k.group(15))).isEqualTo("K(2)");
        k.driverOverride(F0, "vfio-pci");
        assertThat(k.bind(F0, "vfio-pci").ok()).isTrue();
        assertThat(GroupState.code(k.group(15))).isEqualTo("K(2)");
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(15, "G");
        assertThat(k.vfioSetContainer("G", "C").errno()).isEqualTo(Errno.EPERM);
        k.unbind(F1);
        assertThat(GroupState.code(k.group(15))).isEqualTo("K(1)");
        k.unbind(F2);
        assertThat(GroupState.code(k.group(15))).isEqualTo("U0");
        assertThat(k.vfioSetContainer("G", "C").ok()).isTrue();
        assertThat(GroupState.code(k.group(15))).isEqualTo("UB");
        assertThat(k.bind(F1, "mfd-driver").errno()).isEqualTo(Errno.EBUSY);
        assertThat(GroupState.code(k.group(15))).isEqualTo("UB");
        k.close("G");
        assertThat(GroupState.code(k.group(15))).isEqualTo("U0");
        assertThat(k.bind(F1, "mfd-driver").ok()).isTrue();
        assertThat(GroupState.code(k.group(15))).isEqualTo("K(1)");
    }

    @Test
    void aGroupWithoutDefaultDomainClaimsBlocksAndReleasesToPlatformDmaOps() {
        // §9 S7 (6.1 s390-iommu style): use_default admits; claim -> UB on an empty unmanaged domain;
        // SET_IOMMU -> UU; close -> back to platform DMA ops (domain NULL); type write -> -EINVAL
        Kernel nd = Kernel.boot(SpecMachines.noDefaultDomain());
        IommuGroup g = nd.group(0);
        assertThat(g.sysfsType()).isEqualTo("unknown");
        assertThat(GroupState.code(g)).isEqualTo("ND, K(1)");
        String dev = "0001:00:00.0";
        nd.unbind(dev);
        nd.driverOverride(dev, "vfio-pci");
        assertThat(nd.bind(dev, "vfio-pci").ok()).isTrue();
        nd.vfioOpenContainer("C");
        nd.vfioOpenGroup(0, "G");
        assertThat(nd.vfioSetContainer("G", "C").ok()).isTrue();
        assertThat(g.state()).isEqualTo(GroupState.BLOCKED);
        assertThat(nd.vfioSetIommu("C", "type1v2").ok()).isTrue();
        assertThat(g.state()).isEqualTo(GroupState.USER_CLAIMED);
        nd.close("G");
        assertThat(g.domain()).isNull();
        assertThat(GroupState.code(g)).isEqualTo("ND");
        assertThat(nd.setGroupType(0, "DMA").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void aDeviceWithoutAGroupIsNeverCounted() {
        // §3.1: no group -> return 0, no accounting at all
        Kernel p = Kernel.boot(SpecMachines.platformWithoutGroup());
        OpResult r = p.bind("fe300000.ethernet", "stmmaceth");
        assertThat(r.ok()).isTrue();
        assertThat(r.frames()).anySatisfy(f -> assertThat(f.reason()).contains("has no IOMMU group"));
        assertThat(p.groups()).isEmpty();
    }

    private void unbindBoth() {
        k.unbind(NIC_A);
        k.unbind(NIC_B);
        assertThat(k.group(7).ownerCount()).isZero();
    }

    @Test
    void singleNicGroupIsASingleton() {
        assertThat(k.group(12).devices()).extracting(Device::id).containsExactly(SINGLE_NIC);
    }
}
