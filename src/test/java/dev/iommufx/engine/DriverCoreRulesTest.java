package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static dev.iommufx.engine.SpecMachines.NVME;
import static dev.iommufx.engine.SpecMachines.PORT_NO_ACS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver core's bind and unbind rules (kernel-model §2, 6.1). */
class DriverCoreRulesTest {
    private final Kernel k = Kernel.boot(SpecMachines.spec());

    @Test
    void vfioPciDoesNotMatchWithoutDriverOverride() {
        // §2.1 and §9 S2 step 5a: vfio-pci's table is override-only -> bind_store -ENODEV
        k.unbind(NVME);
        OpResult r = k.bind(NVME, "vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.ENODEV);
        assertThat(r.cause().function()).isEqualTo("bind_store");
    }

    @Test
    void aBoundDeviceCannotBeBoundAgain() {
        // §9 S2 step 5b: override set, bind while pcieport is bound -> -EBUSY from __driver_probe_device()
        k.driverOverride(PORT_NO_ACS, "vfio-pci");
        OpResult r = k.bind(PORT_NO_ACS, "vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(r.cause().function()).isEqualTo("__driver_probe_device");
    }

    @Test
    void vfioRefusesABridgeAndDmaCleanupRuns() {
        // §9 S2 step 6: vfio-pci refuses a non-type-0 header (-EINVAL); dma_configure succeeded without
        // accounting (driver_managed_dma), probe failed, dma_cleanup ran with nothing to undo
        k.unbind(PORT_NO_ACS);
        k.driverOverride(PORT_NO_ACS, "vfio-pci");
        Snapshot before = Snapshot.of(k);
        OpResult r = k.bind(PORT_NO_ACS, "vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        assertThat(r.frames()).extracting(Frame::function).contains("pci_dma_configure", "pci_dma_cleanup");
        assertThat(Snapshot.of(k)).isEqualTo(before);
    }

    @Test
    void aFailedProbeGivesBackTheOwnershipItTook() {
        // §2.2: dma_cleanup runs iff dma_configure succeeded; a probe error unwinds through sysfs_failed
        Kernel broken = Kernel.boot(withBrokenDriver());
        broken.unbind(NIC_A);
        assertThat(broken.group(7).ownerCount()).isEqualTo(1);
        broken.driverOverride(NIC_A, "broken");
        OpResult r = broken.bind(NIC_A, "broken");
        assertThat(r.errno()).isEqualTo(Errno.EIO);
        List<String> path = r.frames().stream().map(Frame::function).toList();
        assertThat(path.indexOf("iommu_device_use_default_domain"))
                .isLessThan(path.indexOf("broken probe()"));
        assertThat(path.indexOf("iommu_device_unuse_default_domain")).isGreaterThan(path.indexOf("broken probe()"));
        assertThat(broken.group(7).ownerCount()).isEqualTo(1);
        assertThat(broken.device(NIC_A).driver()).isNull();
    }

    @Test
    void aProbeErrorLetsTheNextDriverTry() {
        // §2.1 autoprobe: a positive return (probe error) lets the next candidate driver try
        Kernel t = Kernel.boot(withTwoCandidates("ENXIO"));
        t.unbind(NIC_A);
        OpResult r = t.driversProbe(NIC_A);
        assertThat(r.ok()).isTrue();
        assertThat(t.device(NIC_A).driver().name()).isEqualTo("e1000e");
    }

    @Test
    void aDmaConfigureErrorStopsAutoprobeAndDriversProbeSaysEinval() {
        // §2.1: a negative return from really_probe() stops the walk; drivers_probe returns -EINVAL
        // (fixture T2-pcibridge-claim step 20: probe B in a claimed group -> EINVAL)
        Kernel t = Kernel.boot(withTwoCandidates(null));
        t.unbind(NIC_A);
        t.unbind(NIC_B);
        t.claimDmaOwner(7, "user");
        OpResult r = t.driversProbe(NIC_A);
        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        long reallyProbes = r.frames().stream().filter(f -> f.function().equals("really_probe")).count();
        assertThat(reallyProbes).as("only the first matching driver is tried").isEqualTo(1);
    }

    @Test
    void driversProbeOnABoundDeviceChangesNothing() {
        // fixture T1-rootports-claim step 20: probe B while bound -> count (ok), nothing changes
        Snapshot before = Snapshot.of(k);
        assertThat(k.driversProbe(NIC_A).ok()).isTrue();
        assertThat(Snapshot.of(k)).isEqualTo(before);
    }

    @Test
    void unbindFromAnotherDriverIsEnodev() {
        // §2.1 unbind_store: -ENODEV unless bound to exactly that driver
        assertThat(k.unbindFrom(NIC_A, "vfio-pci").errno()).isEqualTo(Errno.ENODEV);
        assertThat(k.device(NIC_A).driver().name()).isEqualTo("e1000e");
    }

    @Test
    void driverOverrideNeverUnbinds() {
        // §2.1: "Setting driver_override never unbinds anything by itself" (fixture: override step, state unchanged)
        assertThat(k.driverOverride(NIC_A, "vfio-pci").ok()).isTrue();
        assertThat(k.device(NIC_A).driver().name()).isEqualTo("e1000e");
        assertThat(k.device(NIC_A).driverOverride()).isEqualTo("vfio-pci");
        assertThat(k.driverOverride(NIC_A, null).ok()).isTrue();
        assertThat(k.device(NIC_A).driverOverride()).isNull();
    }

    @Test
    void ownershipIsTakenBeforeProbeAndGivenBackAfterRemove() {
        // §8 I6 / §2.2-2.3: use_default before probe(); remove() before dma_cleanup
        k.unbind(NVME);
        List<String> bind = k.bind(NVME, "nvme").frames().stream().map(Frame::function).toList();
        assertThat(bind.indexOf("iommu_device_use_default_domain")).isLessThan(bind.indexOf("nvme probe()"));
        List<String> unbind = k.unbind(NVME).frames().stream().map(Frame::function).toList();
        assertThat(unbind.indexOf("nvme remove()")).isLessThan(unbind.indexOf("iommu_device_unuse_default_domain"));
    }

    private static Topology withBrokenDriver() {
        Topology t = SpecMachines.spec();
        List<DriverSpec> drivers = new ArrayList<>(t.drivers());
        drivers.add(new DriverSpec("broken", BusType.PCI, false, false, MatchRules.OVERRIDE_ONLY, "EIO", List.of()));
        return new Topology(t.name(), "", DomainType.DMA_FQ, t.devices(), drivers, t.groups());
    }

    /** e1000e preceded by another DMA-API driver matching the same NIC (failing probe with errno, if given). */
    private static Topology withTwoCandidates(String firstProbeErrno) {
        Topology t = SpecMachines.spec();
        List<DriverSpec> drivers = new ArrayList<>();
        drivers.add(new DriverSpec("igb-like", BusType.PCI, false, false,
                new MatchRules(List.of("8086:10d3"), List.of(), false), firstProbeErrno, List.of()));
        drivers.addAll(t.drivers());
        List<GroupSpec> groups = t.groups();
        return new Topology(t.name(), "", DomainType.DMA_FQ, t.devices(), drivers, groups);
    }

    @Test
    void driverOverrideEndsAtTheFirstNewline() {
        // 6.1 drivers/base/driver.c: driver_set_override(): "vfio-pci\n" sets vfio-pci; "\n" clears
        k.driverOverride(NIC_A, "vfio-pci\n");
        assertThat(k.device(NIC_A).driverOverride()).isEqualTo("vfio-pci");
        k.driverOverride(NIC_A, "\n");
        assertThat(k.device(NIC_A).driverOverride()).isNull();
    }
}
