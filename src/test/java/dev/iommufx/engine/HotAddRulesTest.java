package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** PCI remove and rescan, hot-add into a claimed group (kernel-model §3.10, §4.9, §9 S4). */
class HotAddRulesTest {
    private static final String BR = "0000:01:00.0";
    private static final String A = "0000:02:01.0";
    private static final String B = "0000:02:02.0";

    @Test
    void aDeviceRescannedIntoAClaimedGroupJoinsItsDomainAndItsKernelDriverIsRefused() {
        // fixture T2-pcibridge-remove steps 11-13 and §9 S4: B rejoins group 3 behind the PCIe-to-PCI
        // bridge, is attached to the user's domain, autoprobe of e1000 fails with -EBUSY (only logged)
        Kernel k = Kernel.boot(FixtureRecord.load("kernel-6.1/T2-pcibridge-remove.json").topology());
        k.unbind(A);
        k.driverOverride(A, "vfio-pci");
        k.driversProbe(A);
        k.unbind(B);
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(3, "G");
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        assertThat(k.remove(B).ok()).isTrue();
        assertThat(k.group(3).devices()).extracting(Device::id).containsExactly(BR, A);
        OpResult rescan = k.rescan();
        assertThat(rescan.ok()).isTrue();
        assertThat(rescan.log()).contains("pci " + B + ": device attach failed (-16)");
        assertThat(k.device(B).group().id()).isEqualTo(3);
        assertThat(k.device(B).driver()).isNull();
        assertThat(k.group(3).state()).isEqualTo(GroupState.USER_CLAIMED);
        assertThat(k.group(3).ownerCount()).isEqualTo(1);
    }

    @Test
    void aRescannedFunctionIsGroupedByItsHeaderBit() {
        // fixture T3-multifunction-remove steps 11-16 (README: QEMU sets the multifunction bit only on
        // function 0): B comes back alone in new group 4; A, multifunction, then joins B's group
        Kernel k = Kernel.boot(FixtureRecord.load("kernel-6.1/T3-multifunction-remove.json").topology());
        String fa = "0000:01:00.0";
        String fb = "0000:01:00.1";
        k.unbind(fb);
        k.remove(fb);
        k.rescan();
        assertThat(k.device(fb).group().id()).isEqualTo(4);
        k.unbind(fa);
        k.remove(fa);
        assertThat(k.group(3)).as("the empty group is released").isNull();
        k.rescan();
        assertThat(k.device(fa).group().id()).isEqualTo(4);
    }

    @Test
    void aRemovalThatWaitedStillUnbindsWhatWasBoundMeanwhile() {
        // §2.3 / §3.10: removal unbinds the subtree, then device_del() (bus_remove_device) unbinds again
        // whatever was bound while the removal waited in vfio_unregister_group_dev(); found by the
        // random-operation test (T5-switch, seed 4)
        Kernel k = Kernel.boot(FixtureRecord.load("kernel-6.1/T5-switch-remove.json").topology());
        String up = "0000:01:00.0";
        String dn1 = "0000:02:00.0";
        String b = "0000:04:00.0";
        k.unbind(b);
        k.driverOverride(b, "vfio-pci");
        k.bind(b, "vfio-pci");
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(5, "G");
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.vfioGetDeviceFd("G", b, "D");
        assertThat(k.remove(up).pending()).isTrue();
        assertThat(k.device(dn1).driver()).as("released before the wait").isNull();
        assertThat(k.driversProbe(dn1).ok()).isTrue();
        assertThat(k.device(dn1).driver().name()).isEqualTo("pcieport");
        k.close("D");
        assertThat(k.device(dn1).isPresent()).isFalse();
        assertThat(k.device(dn1).driver()).isNull();
        assertThat(k.group(4)).isNull();
        assertThat(k.group(5)).isNull();
        assertThat(Invariants.check(k)).isEmpty();
    }

    @Test
    void aHotAddedDeviceDoesNotGiveANoDefaultDomainGroupADefaultDomain() {
        // §1.3 and §3.10 step 2: an IOMMU driver without default domains cannot allocate one; the group stays
        // on platform DMA ops and its type reads "unknown" (§9 S7). Found while building the random test.
        dev.iommufx.model.Topology t = FixtureRecord.load("kernel-6.1/T2-pcibridge-remove.json").topology();
        dev.iommufx.model.Topology nd = new dev.iommufx.model.Topology(t.name(), "", t.defaultDomainType(),
                t.devices(), t.drivers(), t.groups().stream().map(g -> new dev.iommufx.model.GroupSpec(g.id(), null))
                .toList());
        Kernel k = Kernel.boot(nd);
        k.remove(B);
        k.rescan();
        assertThat(k.device(B).group().id()).isEqualTo(3);
        assertThat(k.group(3).sysfsType()).isEqualTo("unknown");
        assertThat(k.group(3).domain()).isNull();
        assertThat(k.group(3).ownerCount()).isEqualTo(2);
    }
}
