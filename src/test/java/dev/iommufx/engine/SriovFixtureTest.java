package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real Linux 6.1 record of an NVMe physical function enabling two virtual functions with autoprobe off
 * (fixtures/kernel-6.1-machines, T8-sriov-vfs), replayed on the machine imported from its own boot snapshot; and the
 * snapshot taken after the write imports with the VFs and groups the kernel made (kernel-model §6.5).
 */
class SriovFixtureTest {
    private static Topology imported(String snapshot) throws Exception {
        return Importers.open(Path.of(SriovFixtureTest.class.getResource("/fixtures/kernel-6.1-machines/" + snapshot)
                .toURI())).topology();
    }

    @Test
    void theBootSnapshotCarriesThePfsCapability() throws Exception {
        DeviceSpec pf = imported("T8-sriov-boot.tar.gz").device("0000:01:00.0");
        assertThat(pf.sriov()).isNotNull();
        assertThat(pf.sriov().totalVfs()).isEqualTo(2);
        assertThat(pf.sriov().firstVfOffset()).isEqualTo(1);
        assertThat(pf.sriov().vfStride()).isEqualTo(1);
        assertThat(pf.sriov().vfDeviceId()).isEqualTo(0x0010);
        assertThat(pf.sriov().driversAutoprobe()).isTrue();
    }

    @Test
    void everyStepMatchesTheRealKernelOnTheImportedMachine() throws Exception {
        String resource = "kernel-6.1-machines/T8-sriov-vfs.json";
        FixtureRecord rec = FixtureRecord.load(resource);
        Kernel k = Kernel.boot(imported("T8-sriov-boot.tar.gz"), Profile.LINUX_6_1);
        assertThat(KernelFixtureTest.replayMismatches(rec, k, resource)).as("differences from the real kernel")
                .isEmpty();
        assertThat(k.device("0000:01:00.0").numVfs()).isEqualTo(2);
    }

    @Test
    void theSnapshotAfterTheWriteImportsWithItsVfsAndTheirGroups() throws Exception {
        Topology after = imported("T8-sriov-vfs.tar.gz");
        List<String> vfs = after.devices().stream().filter(DeviceSpec::isVirtfn).map(DeviceSpec::id).toList();
        assertThat(vfs).containsExactly("0000:01:00.1", "0000:01:00.2");
        assertThat(after.device("0000:01:00.1").group()).isEqualTo(4);
        assertThat(after.device("0000:01:00.2").group()).isEqualTo(5);
        assertThat(after.device("0000:01:00.1").driver()).isNull();
        // the machine the kernel made by the write is the machine the engine makes by it
        Kernel k = Kernel.boot(imported("T8-sriov-boot.tar.gz"));
        k.sriovDriversAutoprobe("0000:01:00.0", "0");
        k.sriovNumvfs("0000:01:00.0", 2);
        Kernel fromSnapshot = Kernel.boot(after);
        for (String vf : vfs) {
            assertThat(k.device(vf).group().id()).isEqualTo(fromSnapshot.device(vf).group().id());
            assertThat(k.device(vf).spec().device()).isEqualTo(fromSnapshot.device(vf).spec().device());
        }
        assertThat(fromSnapshot.device("0000:01:00.0").numVfs()).isEqualTo(2);
    }
}
