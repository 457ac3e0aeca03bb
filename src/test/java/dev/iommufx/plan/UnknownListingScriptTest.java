package dev.iommufx.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import dev.iommufx.boot.PersistConfig;
import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.engine.Profile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan made from a bare path listing ({@code find /sys/kernel/iommu_groups/ -type l}), which gives neither IDs,
 * classes nor drivers, run on the real machine it came from: the script checks what it can (presence, the groups'
 * exact members), leaves the root ports in the GPU's group alone (VFIO takes no bridge), moves every endpoint, and
 * names only what it moved in the QEMU line.
 */
class UnknownListingScriptTest {
    private static final String GPU = "0000:01:00.0";

    /** The real machine, and what {@code find /sys/kernel/iommu_groups/ -type l} shows of it. */
    private static Kernel real() throws Exception {
        return Kernel.boot(TopologyReader.read(Path.of("topologies/field/skylake-two-gpus.json")));
    }

    private static Topology pasted(Kernel real) throws Exception {
        String listing = real.devices().stream().filter(d -> d.group() != null)
                .map(d -> "/sys/kernel/iommu_groups/" + d.group().id() + "/devices/" + d.id())
                .collect(Collectors.joining("\n", "", "\n"));
        return Importers.parseText(listing, "find.txt").topology();
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void theScriptAsksTheMachineWhichMembersAreBridges(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel real = real();
        Plan plan = PassthroughPlanner.plan(Kernel.boot(pasted(real)), List.of(GPU), "VM1");
        assertThat(ShellScriptExport.problems(plan)).isEmpty();
        MemberPlan rootPort = plan.members().stream().filter(m -> m.device().equals("0000:00:01.0")).findFirst()
                .orElseThrow();
        assertThat(rootPort.reason()).contains("if it is a bridge (such as the root port above the device), it stays");
        MemberPlan audio = plan.members().stream().filter(m -> m.device().equals("0000:01:00.1")).findFirst()
                .orElseThrow();
        assertThat(audio.reason()).as("01:00.1 is on the GPU's bus: it cannot be the bridge above it")
                .doesNotContain("if it is a bridge");

        FakeSysfs sysfs = FakeSysfs.of(real, tmp.resolve("sys"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        ScriptRun.linkTools(bin, "id", "printf", "cat");
        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(plan), tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("0000:00:01.0 is a bridge (class 0x060400): VFIO does not take bridges")
                .contains("0000:00:01.1 is a bridge (class 0x060400)")
                .contains("0000:00:01.0 is bound to pcieport, which manages its own DMA: left as it is");
        assertThat(sysfs.driverOverride("0000:00:01.0")).isEmpty();
        assertThat(sysfs.unbindOf("pcieport")).isEmpty();
        String endpoints = real.group(real.device(GPU).group().id()).devices().stream()
                .filter(d -> d.spec().pciClass() >> 8 != 0x0604).map(Device::id)
                .map(id -> " -device vfio-pci,host=" + id).collect(Collectors.joining());
        for (Device d : real.device(GPU).group().devices()) {
            boolean bridge = d.spec().pciClass() >> 8 == 0x0604;
            assertThat(sysfs.driverOverride(d.id())).as(d.id()).isEqualTo(bridge ? "" : "vfio-pci");
        }
        assertThat(run.stdout()).contains("can be given to a VM, for example with QEMU:" + endpoints + "\n");
    }

    /**
     * ids= cannot be written without IDs, so the modprobe style says so and points to the styles that bind by
     * address; the override style's script, run on the real machine, refuses to take the root port from pcieport.
     */
    @Test
    void aPersistentConfigurationWithoutIdsBindsByAddressAndSparesTheRootPort(@TempDir Path tmp) throws Exception {
        Kernel real = real();
        Topology pasted = pasted(real);
        Plan plan = PassthroughPlanner.plan(Kernel.boot(pasted), List.of(GPU), "VM1");
        String ids = PlanOutput.PERSIST.render(plan, new PlanOutput.Options(null, pasted, Profile.DEFAULT,
                PersistConfig.Style.MODPROBE, Initramfs.Generator.INITRAMFS_TOOLS, null));
        assertThat(PersistScriptExport.refuses(ids)).isTrue();
        assertThat(ids).contains("the source gives no vendor:device IDs").contains("--style override or driverctl");
        String override = PlanOutput.PERSIST.render(plan, new PlanOutput.Options(null, pasted, Profile.DEFAULT,
                PersistConfig.Style.OVERRIDE, Initramfs.Generator.INITRAMFS_TOOLS, null));
        assertThat(PersistScriptExport.refuses(override)).as(override).isFalse();

        FakeSysfs sysfs = FakeSysfs.of(real, tmp.resolve("sys"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        ScriptRun.linkTools(bin, "mkdir", "cat", "mv", "sed", "grep", "rm");
        Path root = Files.createDirectories(tmp.resolve("root"));
        ScriptRun run = ScriptRun.run(List.of("/bin/sh"), override, tmp, sysfs.root, bin,
                Map.of("ROOT", root.toString()));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("0000:00:01.0 is a bridge, which this configuration (made from a listing"
                + " without classes) would take from pcieport");
        try (var written = Files.walk(root)) {
            assertThat(written.filter(Files::isRegularFile).toList()).as("nothing written").isEmpty();
        }
    }
}
