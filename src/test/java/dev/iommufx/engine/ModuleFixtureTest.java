package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real Linux 6.1 record of a machine booted without the VFIO modules (fixtures/kernel-6.1-machines,
 * T7-workstation-modload), replayed on the machine imported from that machine's own snapshot
 * (T7-workstation-novfio.tar.gz): binding through the missing vfio-pci directory (ENOENT), modprobe vfio-pci
 * binding the overridden GPU as it registers, the claim refused until the audio function follows, and rmmod
 * vfio_pci while the group is claimed (kernel-model §2.6). Every answer and every state must match.
 */
class ModuleFixtureTest {
    private static Topology imported(String snapshot) throws Exception {
        return Importers.open(resource("/fixtures/kernel-6.1-machines/" + snapshot)).topology();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ModuleFixtureTest.class.getResource(name).toURI());
    }

    @Test
    void theSnapshotSaysVfioPciIsAModuleThatIsNotLoaded() throws Exception {
        DriverSpec vfio = imported("T7-workstation-novfio.tar.gz").drivers().stream()
                .filter(d -> d.name().equals("vfio-pci")).findFirst().orElseThrow();
        assertThat(vfio.loaded()).isFalse();
        assertThat(vfio.module()).isEqualTo("vfio_pci");
        assertThat(imported("T7-workstation-dma.tar.gz").drivers().stream()
                .filter(d -> d.name().equals("vfio-pci")).findFirst().orElseThrow().loaded()).isTrue();
    }

    @Test
    void everyStepMatchesTheRealKernelOnTheImportedMachine() throws Exception {
        String resource = "kernel-6.1-machines/T7-workstation-modload.json";
        FixtureRecord rec = FixtureRecord.load(resource);
        Kernel k = Kernel.boot(imported("T7-workstation-novfio.tar.gz"), Profile.LINUX_6_1);
        List<String> mismatches = KernelFixtureTest.replayMismatches(rec, k, resource);
        assertThat(mismatches).as("differences from the real kernel").isEmpty();
        // the record ran to its end: the GPU and its audio are back on their own drivers
        assertThat(k.device("0000:01:00.0").driver().name()).isEqualTo("bochs-drm");
        assertThat(k.device("0000:01:00.1").driver().name()).isEqualTo("snd_hda_intel");
    }
}
