package dev.iommufx.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.boot.BootReport;
import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.boot.PersistConfig;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.model.Topology;
import dev.iommufx.model.boot.Initramfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan made to survive a reboot: the persist script is run on a copy of the machine's root, and the files it
 * wrote there are booted in the simulator (kernel-model §2.7); the revert script then takes them away again.
 */
class PersistScriptTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";

    private static Topology machine(String name) throws Exception {
        return TopologyReader.read(Path.of("topologies/boot", name + ".json"));
    }

    private static String render(Topology t, String device, PersistConfig.Style style, Initramfs.Generator g)
            throws Exception {
        Plan plan = PassthroughPlanner.plan(Kernel.boot(t), List.of(device));
        return PlanOutput.PERSIST.render(plan, new PlanOutput.Options(null, t, Profile.DEFAULT, style, g, null));
    }

    /** Runs a script against a sysfs copy of the machine and a root copy; returns the run. */
    private static ScriptRun run(String script, Topology t, Path tmp) throws Exception {
        Path sys = tmp.resolve("sys");
        if (!Files.exists(sys)) { // the same machine for a script and the scripts after it
            FakeSysfs.of(Kernel.boot(t), sys);
        }
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        ScriptRun.linkTools(bin, "mkdir", "cat", "mv", "sed", "grep", "rm");
        Files.createDirectories(tmp.resolve("root"));
        return ScriptRun.run(List.of("/bin/sh"), script, tmp, sys, bin,
                Map.of("ROOT", tmp.resolve("root").toString()));
    }

    private static String driverAfterBooting(Topology t, Path root, String device) throws Exception {
        BootReport r = BootSimulation.boot(t, Profile.DEFAULT, BootConfigReader.read(root));
        var d = r.kernel().device(device);
        return d.driver() == null ? null : d.driver().name();
    }

    static Stream<Arguments> everyStyleAndGenerator() {
        List<Arguments> out = new ArrayList<>();
        for (PersistConfig.Style s : PersistConfig.Style.values()) {
            for (Initramfs.Generator g : List.of(Initramfs.Generator.INITRAMFS_TOOLS, Initramfs.Generator.DRACUT,
                    Initramfs.Generator.MKINITCPIO)) {
                out.add(Arguments.of(s, g));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("everyStyleAndGenerator")
    void whatTheScriptWritesBootsTheCardOnVfioPci(PersistConfig.Style style, Initramfs.Generator g,
                                                  @TempDir Path tmp) throws Exception {
        Topology t = machine("haswell-gtx760");
        String script = render(t, GPU, style, g);
        assertThat(PersistScriptExport.refuses(script)).as(script).isFalse();

        ScriptRun run = run(script, t, tmp);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("done: the configuration takes effect at the next boot");
        Path root = tmp.resolve("root");
        assertThat(driverAfterBooting(t, root, GPU)).isEqualTo("vfio-pci");
        assertThat(driverAfterBooting(t, root, AUDIO)).isEqualTo("vfio-pci");
        assertThat(driverAfterBooting(t, root, "0000:00:02.0")).as("the host keeps its display").isEqualTo("i915");
        if (style != PersistConfig.Style.DRIVERCTL) {
            assertThat(run.stdout()).as("a dry run names the command and runs none").contains("would run: ");
        }
    }

    @Test
    void idsCannotGiveOneOfTwoIdenticalCardsSoTheScriptRefusesAndOverrideCan(@TempDir Path tmp) throws Exception {
        Topology t = machine("two-identical-gtx1080");
        String byIds = render(t, GPU, PersistConfig.Style.MODPROBE, Initramfs.Generator.INITRAMFS_TOOLS);
        assertThat(PersistScriptExport.refuses(byIds)).isTrue();
        assertThat(byIds).contains("0000:04:00.0 ends on vfio-pci, not nouveau (the host needs it)",
                "Try --style override");
        ScriptRun refused = run(byIds, t, tmp.resolve("a"));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(tmp.resolve("a/root/etc")).as("a refused configuration writes nothing").doesNotExist();

        String byAddress = render(t, GPU, PersistConfig.Style.OVERRIDE, Initramfs.Generator.INITRAMFS_TOOLS);
        ScriptRun run = run(byAddress, t, tmp.resolve("b"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path root = tmp.resolve("b/root");
        assertThat(driverAfterBooting(t, root, GPU)).isEqualTo("vfio-pci");
        assertThat(driverAfterBooting(t, root, "0000:04:00.0")).isEqualTo("nouveau");
    }

    @Test
    void theRevertScriptTakesThePersistentConfigurationAwayAndKeepsTheUsersLines(@TempDir Path tmp)
            throws Exception {
        Topology t = machine("haswell-gtx760");
        Path modules = tmp.resolve("root/etc/initramfs-tools/modules");
        Files.createDirectories(modules.getParent());
        Files.writeString(modules, "# the user's own\nbtrfs\n");
        String persist = render(t, GPU, PersistConfig.Style.MODPROBE, Initramfs.Generator.INITRAMFS_TOOLS);
        assertThat(run(persist, t, tmp).exitCode()).isZero();
        assertThat(run(persist, t, tmp).exitCode()).as("a second run replaces its own lines").isZero();
        assertThat(Files.readString(modules)).containsOnlyOnce("vfio_pci").startsWith("# the user's own\nbtrfs\n");

        Plan plan = PassthroughPlanner.plan(Kernel.boot(t), List.of(GPU));
        ScriptRun revert = run(RevertScriptExport.render(plan), t, tmp);

        assertThat(revert.stdout()).contains("removed /etc/modprobe.d/iommufx-vfio.conf",
                "removed iommufx's lines from /etc/initramfs-tools/modules");
        assertThat(Files.readString(modules)).isEqualTo("# the user's own\nbtrfs\n");
        assertThat(tmp.resolve("root/etc/modprobe.d/iommufx-vfio.conf")).doesNotExist();
        assertThat(driverAfterBooting(t, tmp.resolve("root"), GPU)).isEqualTo("nouveau");
    }
}
