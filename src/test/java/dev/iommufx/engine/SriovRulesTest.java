package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import dev.iommufx.io.TopologyReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** SR-IOV virtual functions enabled and disabled through the PF's sysfs files (kernel-model §6.5, Linux 6.1). */
class SriovRulesTest {
    private static final String PF = "0000:03:00.0";
    private static final String VF0 = "0000:03:02.0";
    private static final String VF1 = "0000:03:02.1";
    private final Kernel k = boot();

    private static Kernel boot() {
        try {
            return Kernel.boot(TopologyReader.read(Path.of("topologies/sriov-nic.json")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void enablingAddsEachVfGroupedAloneInANewGroupAndOfferedToTheDrivers() {
        assertThat(k.device(VF0).isPresent()).isFalse();
        OpResult r = k.sriovNumvfs(PF, 2);
        assertThat(r.ok()).isTrue();
        assertThat(k.device(PF).numVfs()).isEqualTo(2);
        assertThat(k.device(VF0).isPresent()).isTrue();
        assertThat(k.device(VF0).group().id()).as("the lowest free group number").isEqualTo(5);
        assertThat(k.device(VF1).group().id()).isEqualTo(6);
        assertThat(k.device(VF0).driver().name()).as("autoprobe on: iavf takes it").isEqualTo("iavf");
        assertThat(k.device("0000:03:02.2").isPresent()).isFalse();
        assertThat(r.frames()).extracting(Frame::function).containsSubsequence("sriov_numvfs_store",
                "i40e sriov_configure", "sriov_enable", "pci_iov_add_virtfn", "pci_device_add");
    }

    @Test
    void theStoreRefusesInTheKernelsOrderAndARefusalChangesNothing() {
        Snapshot before = Snapshot.of(k);
        assertThat(k.sriovNumvfs(PF, 70000).errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.sriovNumvfs(PF, 65).errno()).as("more than TotalVFs").isEqualTo(Errno.ERANGE);
        assertThat(k.sriovNumvfs("0000:04:00.0", 1).errno()).as("no SR-IOV capability").isEqualTo(Errno.ENOENT);
        assertThat(Snapshot.of(k)).isEqualTo(before);
        k.sriovNumvfs(PF, 2);
        Snapshot two = Snapshot.of(k);
        OpResult busy = k.sriovNumvfs(PF, 4);
        assertThat(busy.errno()).isEqualTo(Errno.EBUSY);
        assertThat(busy.log()).contains("pci " + PF + ": 2 VFs already enabled. Disable before enabling 4 VFs");
        assertThat(k.sriovNumvfs(PF, 2).ok()).as("the same count: nothing to do").isTrue();
        assertThat(Snapshot.of(k)).isEqualTo(two);
    }

    @Test
    void aPfWithoutDriverOrWithoutSriovConfigureCannotEnableVfs() {
        k.unbind(PF);
        assertThat(k.sriovNumvfs(PF, 1).errno()).isEqualTo(Errno.ENOENT);
        k.driverOverride(PF, "pci-stub");
        k.driversProbe(PF);
        assertThat(k.device(PF).driver().name()).isEqualTo("pci-stub");
        OpResult r = k.sriovNumvfs(PF, 1);
        assertThat(r.errno()).as("pci-stub has no sriov_configure").isEqualTo(Errno.ENOENT);
        assertThat(r.log()).contains("pci " + PF + ": driver does not support SR-IOV configuration via sysfs");
    }

    @Test
    void disablingRemovesTheVfsFromTheLastAndFreesTheirGroups() {
        k.sriovNumvfs(PF, 3);
        OpResult r = k.sriovNumvfs(PF, 0);
        assertThat(r.ok()).isTrue();
        assertThat(r.pending()).isFalse();
        assertThat(k.device(PF).numVfs()).isZero();
        assertThat(k.device(VF0).isPresent()).isFalse();
        assertThat(k.group(5)).as("an emptied group is freed").isNull();
        assertThat(r.frames().stream().filter(f -> f.function().equals("pci_iov_remove_virtfn"))
                .map(Frame::reason).toList()).containsExactly("virtfn2 (0000:03:02.2)", "virtfn1 (0000:03:02.1)",
                "virtfn0 (0000:03:02.0)");
    }

    @Test
    void disablingWaitsForAnOpenVfioDeviceAndFinishesWhenItCloses() {
        k.sriovNumvfs(PF, 2);
        k.driverOverride(VF0, "vfio-pci");
        k.unbind(VF0);
        k.driversProbe(VF0);
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(5, "G");
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.vfioGetDeviceFd("G", VF0, "D");
        OpResult r = k.sriovNumvfs(PF, 0);
        assertThat(r.pending()).isTrue();
        assertThat(k.device(VF1).isPresent()).as("VF 1 went first").isFalse();
        assertThat(k.device(VF0).isPresent()).as("VF 0 waits for its user").isTrue();
        assertThat(k.device(PF).numVfs()).isEqualTo(2);
        OpResult close = k.close("D");
        assertThat(close.ok()).isTrue();
        assertThat(close.pending()).isFalse();
        assertThat(k.device(VF0).isPresent()).isFalse();
        assertThat(k.device(PF).numVfs()).isZero();
        assertThat(k.vfioGroupStatus("G").errno()).isEqualTo(Errno.ENODEV);
    }

    @Test
    void withAutoprobeOffAVfProbesOnlyThroughDriverOverride() {
        assertThat(k.sriovDriversAutoprobe(PF, "maybe").errno()).isEqualTo(Errno.EINVAL);
        assertThat(k.sriovDriversAutoprobe(PF, "0").ok()).isTrue();
        k.sriovNumvfs(PF, 1);
        assertThat(k.device(VF0).driver()).as("no driver takes it").isNull();
        OpResult bind = k.bind(VF0, "iavf");
        assertThat(bind.errno()).as("pci_device_can_probe() refuses an explicit bind too").isEqualTo(Errno.ENODEV);
        k.driverOverride(VF0, "iavf");
        assertThat(k.bind(VF0, "iavf").ok()).isTrue();
    }

    @Test
    void vfioPciEnablesVfsOnlyWithEnableSriovAndCapturesTheVfsItMakes() {
        k.driverOverride(PF, "vfio-pci");
        k.unbind(PF);
        k.driversProbe(PF);
        assertThat(k.device(PF).driver().name()).isEqualTo("vfio-pci");
        assertThat(k.sriovNumvfs(PF, 1).errno()).as("loaded without enable_sriov").isEqualTo(Errno.ENOENT);
        k.unbind(PF);
        k.rmmod("vfio_pci");
        k.modprobe("vfio_pci", "enable_sriov=1");
        assertThat(k.device(PF).driver().name()).as("its override brings it back").isEqualTo("vfio-pci");
        OpResult r = k.sriovNumvfs(PF, 1);
        assertThat(r.ok()).isTrue();
        assertThat(k.device(VF0).driverOverride()).isEqualTo("vfio-pci");
        assertThat(k.device(VF0).driver().name()).isEqualTo("vfio-pci");
        assertThat(r.log()).anySatisfy(l -> assertThat(l).contains("Captured SR-IOV VF " + VF0));
    }

    @Test
    void undoAndRedoOfEnablingAndDisablingAreExact() {
        Snapshot boot = Snapshot.of(k);
        k.sriovNumvfs(PF, 4);
        Snapshot four = Snapshot.of(k);
        k.sriovNumvfs(PF, 0);
        Snapshot none = Snapshot.of(k);
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(four);
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(boot);
        k.redo();
        k.redo();
        assertThat(Snapshot.of(k)).isEqualTo(none);
    }
}
