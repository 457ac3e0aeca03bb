package dev.iommufx.engine.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.io.boot.ConfigFiles;
import dev.iommufx.model.Topology;
import dev.iommufx.model.boot.BootConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A machine booted with a boot configuration, stage by stage (kernel-model §2.7, Linux 6.1). */
class BootSimulationTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";
    private static final String GPU_B = "0000:04:00.0";
    private static final String AUDIO_B = "0000:04:00.1";
    private static final String IDS = "options vfio-pci ids=10de:1187,10de:0e0a\n";
    private static final String SOFTDEPS = "softdep nouveau pre: vfio-pci\nsoftdep snd_hda_intel pre: vfio-pci\n";

    private static Topology machine(String name) throws Exception {
        return TopologyReader.read(Path.of("topologies/boot/" + name + ".json"));
    }

    private static BootReport boot(String machine, Map<String, String> files) throws Exception {
        return BootSimulation.boot(machine(machine), Profile.DEFAULT, BootConfigReader.read(ConfigFiles.inMemory(files)));
    }

    private static String driver(BootReport r, String device) {
        Device d = r.kernel().device(device);
        return d.driver() == null ? null : d.driver().name();
    }

    @Test
    void withNothingConfiguredColdplugBindsWhatTheTopologyDescribes() throws Exception {
        Topology t = machine("haswell-gtx760");
        BootReport r = BootSimulation.boot(t, Profile.DEFAULT, BootConfig.PLAIN);
        Kernel described = Kernel.boot(t);
        for (Device d : described.devices()) {
            String expected = d.driver() == null ? null : d.driver().name();
            assertThat(driver(r, d.id())).as(d.id()).isEqualTo(expected);
        }
        assertThat(r.bindings().get(GPU).stage()).isEqualTo(BootReport.Stage.ROOT_COLDPLUG);
        assertThat(r.bindings().get("0000:00:01.0").stage()).as("pcieport is built in")
                .isEqualTo(BootReport.Stage.BUILTIN);
        assertThat(r.kernel().canUndo()).as("a boot is not undone").isFalse();
    }

    @Test
    void idsWithoutALoadLeaveTheCardToItsHostDriverAndSaySo() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/modprobe.d/vfio.conf", IDS));
        assertThat(driver(r, GPU)).isEqualTo("nouveau");
        assertThat(r.kernel().modules()).containsEntry("vfio_pci", false);
        assertThat(r.warnings()).anyMatch(w -> w.contains("nothing loaded it"));
    }

    @Test
    void aLateLoadFindsTheCardTakenAndTheWarningNamesTheSoftdep() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/modprobe.d/vfio.conf", IDS, "etc/modules", "vfio_pci\n"));
        assertThat(driver(r, GPU)).isEqualTo("nouveau");
        assertThat(driver(r, AUDIO)).isEqualTo("snd_hda_intel");
        assertThat(r.kernel().modules()).containsEntry("vfio_pci", true);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith(GPU) && w.contains("softdep nouveau pre: vfio-pci"));
    }

    @Test
    void aSoftdepLoadsVfioPciFirstWhereverTheHostDriverLoads() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/modprobe.d/vfio.conf", IDS + SOFTDEPS));
        assertThat(driver(r, GPU)).isEqualTo("vfio-pci");
        assertThat(driver(r, AUDIO)).isEqualTo("vfio-pci");
        assertThat(r.bindings().get(GPU).rule()).isEqualTo("dynamic ID (ids=)");
        assertThat(driver(r, "0000:00:02.0")).as("the host keeps its display").isEqualTo("i915");
        assertThat(r.kernel().group(1).state()).isEqualTo(GroupState.DEFAULT_DOMAIN);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void initramfsToolsLoadsItsListAfterColdplugSoAGpuDriverInTheImageWins() throws Exception {
        Map<String, String> files = new HashMap<>();
        files.put("etc/modprobe.d/vfio.conf", IDS);
        files.put("etc/initramfs-tools/modules", "vfio_pci\n");
        files.put("etc/initramfs-tools/conf.d/splash", "FRAMEBUFFER=y\n");
        BootReport r = boot("haswell-gtx760", files);
        assertThat(driver(r, GPU)).isEqualTo("nouveau");
        assertThat(r.bindings().get(GPU).stage()).isEqualTo(BootReport.Stage.INITRAMFS_COLDPLUG);
        assertThat(driver(r, AUDIO)).as("snd_hda_intel is not in the image: vfio-pci gets there first")
                .isEqualTo("vfio-pci");
        assertThat(r.warnings()).anyMatch(w -> w.contains("IOMMU group 1 is not viable"));
    }

    @Test
    void dracutsForceDriversLoadBeforeColdplug() throws Exception {
        Map<String, String> files = new HashMap<>();
        files.put("etc/modprobe.d/vfio.conf", IDS);
        files.put("etc/dracut.conf.d/vfio.conf", "force_drivers+=\" vfio_pci \"\n");
        BootReport r = boot("haswell-gtx760", files);
        assertThat(driver(r, GPU)).isEqualTo("vfio-pci");
        assertThat(r.bindings().get(GPU).stage()).isEqualTo(BootReport.Stage.INITRAMFS_EARLY);
    }

    @Test
    void aNonHostOnlyDracutImageHasNoModprobeConfAndSoNoIds() throws Exception {
        Map<String, String> files = new HashMap<>();
        files.put("etc/modprobe.d/vfio.conf", IDS);
        files.put("etc/dracut.conf.d/vfio.conf", "hostonly=\"no\"\nforce_drivers+=\" vfio_pci \"\n");
        BootReport r = boot("haswell-gtx760", files);
        assertThat(r.kernel().modules()).containsEntry("vfio_pci", true);
        assertThat(driver(r, GPU)).as("vfio-pci loaded in the image without its ids=, which are not read again")
                .isEqualTo("nouveau");
    }

    @Test
    void idsTakeBothOfTwoIdenticalCardsAndTheOverrideHookOnlyOne() throws Exception {
        String softdeps = SOFTDEPS;
        BootReport both = boot("two-identical-gtx1080",
                Map.of("etc/modprobe.d/vfio.conf", "options vfio-pci ids=10de:1b80,10de:10f0\n" + softdeps));
        assertThat(driver(both, GPU)).isEqualTo("vfio-pci");
        assertThat(driver(both, GPU_B)).isEqualTo("vfio-pci");
        assertThat(both.warnings()).anyMatch(w -> w.contains("matches 2 devices"));

        String hook = OverrideHook.command(java.util.List.of(GPU, AUDIO), "vfio-pci", "vfio_pci");
        BootReport one = boot("two-identical-gtx1080",
                Map.of("etc/modprobe.d/vfio.conf", "install vfio_pci " + hook + "\n" + softdeps));
        assertThat(driver(one, GPU)).isEqualTo("vfio-pci");
        assertThat(driver(one, AUDIO)).isEqualTo("vfio-pci");
        assertThat(driver(one, GPU_B)).isEqualTo("nouveau");
        assertThat(driver(one, AUDIO_B)).isEqualTo("snd_hda_intel");
        assertThat(one.bindings().get(GPU).rule()).isEqualTo("driver_override");
        assertThat(one.warnings()).isEmpty();
    }

    @Test
    void driverctlMovesADeviceOnlyAfterItsHostDriverBoundIt() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/driverctl.d/pci-0000:01:00.0", "vfio-pci\n",
                "etc/driverctl.d/pci-0000:01:00.1", "vfio-pci\n"));
        assertThat(driver(r, GPU)).isEqualTo("vfio-pci");
        assertThat(r.bindings().get(GPU).stage()).isEqualTo(BootReport.Stage.DRIVERCTL);
        assertThat(r.events()).extracting(BootReport.Event::action)
                .containsSubsequence("modprobe nouveau", "unbind 0000:01:00.0 from nouveau",
                        "driver_override 0000:01:00.0 = vfio-pci");
    }

    @Test
    void moduleBlacklistRefusesEveryLoadWithEperm() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/kernel/cmdline", "quiet module_blacklist=nouveau"));
        assertThat(driver(r, GPU)).isNull();
        assertThat(r.events()).anyMatch(e -> e.action().startsWith("modprobe nouveau") && e.result().equals("EPERM"));
        BootReport dashed = boot("haswell-gtx760", Map.of("etc/kernel/cmdline", "module_blacklist=snd-hda-intel"));
        assertThat(driver(dashed, AUDIO)).as("the kernel compares exact names").isEqualTo("snd_hda_intel");
        assertThat(dashed.warnings()).anyMatch(w -> w.contains("with a dash"));
    }

    @Test
    void aBlacklistStopsColdplugButNotALoadByName() throws Exception {
        BootReport r = boot("haswell-gtx760", Map.of("etc/modprobe.d/bl.conf", "blacklist nouveau\n",
                "etc/modules", "nouveau\n"));
        assertThat(driver(r, GPU)).isEqualTo("nouveau");
        assertThat(r.bindings().get(GPU).stage()).isEqualTo(BootReport.Stage.MODULES_LOAD);
        assertThat(r.warnings()).anyMatch(w -> w.contains("\"blacklist nouveau\" stops only loading by alias"));
    }
}
