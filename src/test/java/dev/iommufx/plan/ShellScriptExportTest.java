package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.UserActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The script for the workstation's GPU, read and run against a fake sysfs. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs the scripts with a POSIX sh")
class ShellScriptExportTest {

    @Test
    void theScriptSaysWhatItWillDoAndThatIommufxNeverRunsIt() throws Exception {
        String script = ShellScriptExport.render(PassthroughPlanner.plan(Machines.boot("workstation.json"),
                List.of(GPU)));
        assertThat(script).startsWith("#!/bin/sh\n");
        assertThat(script.lines()).contains("set -eu", "SYSFS=\"${SYSFS:-/sys}\"");
        assertThat(script).contains("iommufx never runs this script")
                .contains("#   IOMMU group 8 (now DMA-API owned):")
                .contains("#     [10de:2786] 0000:01:00.0 GPU: GeForce RTX 4070 — nouveau → vfio-pci (asked for)")
                .contains("#     [10de:22bc] 0000:01:00.1 GPU HDMI audio — must leave snd_hda_intel → vfio-pci");
        assertThat(script.lines()).contains(
                "check_group 8 '0000:01:00.0' '0000:01:00.1'",
                "check_ids '0000:01:00.0' '0x10de' '0x2786'",
                "need_driver 'vfio-pci'",
                "move '0000:01:00.0' '0x10de' '0x2786' 'vfio-pci'",
                "move '0000:01:00.1' '0x10de' '0x22bc' 'vfio-pci'");
        // every check comes before the first change
        assertThat(script.lastIndexOf("\ncheck_ids ")).isLessThan(script.indexOf("\nmove "));
        assertThat(script).doesNotContain("\r");
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void withoutDriverctlItWritesOverrideUnbindAndBind(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Machines.boot("workstation.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Path bin = bin(tmp);
        Path modprobeLog = stub(bin, "modprobe", tmp);

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(PassthroughPlanner.plan(k, List.of(GPU))), tmp,
                sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sysfs.driverOverride(GPU)).isEqualTo("vfio-pci");
        assertThat(sysfs.driverOverride(GPU_AUDIO)).isEqualTo("vfio-pci");
        assertThat(sysfs.unbindOf("nouveau")).isEqualTo(GPU);
        assertThat(sysfs.unbindOf("snd_hda_intel")).isEqualTo(GPU_AUDIO);
        assertThat(sysfs.bindOf("vfio-pci")).isEqualTo(GPU_AUDIO); // the last of the two binds
        assertThat(run.stdout()).contains("0000:01:00.0: binding it to vfio-pci")
                .contains("0000:01:00.1: unbinding it from snd_hda_intel")
                .contains("0000:01:00.1: binding it to vfio-pci")
                .contains("group 8: SYSFS is not /sys");
        // nothing else was touched
        assertThat(sysfs.driverOverride(Machines.IGPU)).isEmpty();
        assertThat(sysfs.unbindOf("i915")).isEmpty();
        assertThat(modprobeLog).doesNotExist();
    }

    /**
     * The dry run stays dry: with SYSFS on a copy, an installed driverctl (which would rebind the real devices
     * and persist the override) is never called, nor is modprobe; the writes land in the copy.
     */
    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aDryRunOnACopyNeverCallsDriverctlEvenWhenItIsInstalled(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Kernel k = Machines.boot("workstation.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Path bin = bin(tmp);
        Path driverctlLog = tmp.resolve("driverctl.log");
        ScriptRun.stubDriverctl(bin, driverctlLog);
        Path modprobeLog = stub(bin, "modprobe", tmp);

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(PassthroughPlanner.plan(k, List.of(GPU))), tmp,
                sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(driverctlLog).as("the driverctl stub was called").doesNotExist();
        assertThat(modprobeLog).doesNotExist();
        assertThat(run.stdout()).contains("dry run on " + sysfs.root);
        assertThat(sysfs.driverOverride(GPU)).isEqualTo("vfio-pci");
        assertThat(sysfs.bindOf("vfio-pci")).isEqualTo(GPU_AUDIO);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aDifferentDeviceIdStopsTheScriptBeforeAnyChange(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Machines.boot("workstation.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        FakeSysfs.write(sysfs.deviceDir(GPU_AUDIO).resolve("device"), "0x10f0\n");
        Map<String, String> before = sysfs.contents();

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(PassthroughPlanner.plan(k, List.of(GPU))), tmp,
                sysfs.root, bin(tmp));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("device 0000:01:00.1 has device ID 0x10f0, the plan expects 0x22bc");
        assertThat(sysfs.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aGroupMemberThePlanDoesNotKnowStopsTheScript(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Machines.boot("workstation.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Files.createSymbolicLink(sysfs.root.resolve("kernel/iommu_groups/8/devices/0000:01:00.2"),
                Path.of("../../../../devices/pci0000:00/0000:01:00.2"));
        Map<String, String> before = sysfs.contents();

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(PassthroughPlanner.plan(k, List.of(GPU))), tmp,
                sysfs.root, bin(tmp));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("IOMMU group 8 also holds 0000:01:00.2");
        assertThat(sysfs.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void withoutVfioPciLoadedItSaysHowToLoadItAndNeverRunsModprobeOnACopy(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Kernel k = Machines.boot("workstation.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        try (var files = Files.walk(sysfs.driverDir("vfio-pci"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Map<String, String> before = sysfs.contents();
        Path bin = bin(tmp);
        Path modprobeLog = stub(bin, "modprobe", tmp);

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(PassthroughPlanner.plan(k, List.of(GPU))), tmp,
                sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("the vfio-pci driver is not loaded: load it with 'modprobe vfio-pci'");
        assertThat(modprobeLog).doesNotExist();
        assertThat(sysfs.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aDeviceAlreadyOnVfioPciIsLeftAsItIs(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Machines.boot("workstation.json");
        new UserActions(k).moveToDriver(GPU, "vfio-pci");
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));
        assertThat(plan.group(8).member(GPU).action()).isEqualTo(MemberAction.ALREADY_ASSIGNED);
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(plan), tmp, sysfs.root, bin(tmp));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("0000:01:00.0 is already bound to vfio-pci");
        assertThat(sysfs.driverOverride(GPU)).isEmpty();
        assertThat(sysfs.unbindOf("vfio-pci")).isEmpty();
        assertThat(sysfs.driverOverride(GPU_AUDIO)).isEqualTo("vfio-pci");
        assertThat(sysfs.bindOf("vfio-pci")).isEqualTo(GPU_AUDIO);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aPlanTheKernelWouldRefuseGivesAScriptThatStopsAtOnce(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Kernel k = Machines.boot("t2-pcibridge.json");
        Plan plan = PassthroughPlanner.plan(k, List.of("0000:01:00.0"));
        String script = ShellScriptExport.render(plan);
        assertThat(ShellScriptExport.problems(plan)).singleElement().asString().contains("EINVAL");
        assertThat(script).contains("THIS PLAN CANNOT BE CARRIED OUT").doesNotContain("\nmove ");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Map<String, String> before = sysfs.contents();
        Path bin = bin(tmp);
        Path driverctlLog = tmp.resolve("driverctl.log");
        ScriptRun.stubDriverctl(bin, driverctlLog);

        ScriptRun run = ScriptRun.run(shell, script, tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("this plan cannot be carried out");
        assertThat(sysfs.contents()).isEqualTo(before);
        assertThat(driverctlLog).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aSiblingBehindTheBridgeMovesAndTheBridgeIsOnlyChecked(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Kernel k = Machines.boot("t2-pcibridge.json");
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        ScriptRun run = ScriptRun.run(shell,
                ShellScriptExport.render(PassthroughPlanner.plan(k, List.of("0000:02:01.0"))), tmp, sysfs.root,
                bin(tmp));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sysfs.driverOverride("0000:01:00.0")).isEmpty();
        assertThat(sysfs.driverOverride("0000:02:01.0")).isEqualTo("vfio-pci");
        assertThat(sysfs.driverOverride("0000:02:02.0")).isEqualTo("vfio-pci");
        assertThat(sysfs.unbindOf("e1000")).isEqualTo("0000:02:02.0");
    }

    static Path bin(Path tmp) throws Exception {
        return Files.createDirectories(tmp.resolve("bin"));
    }

    /** A command that records that it was called, in {@code <tmp>/<name>.log}. */
    static Path stub(Path bin, String name, Path tmp) throws Exception {
        Path log = tmp.resolve(name + ".log");
        Path stub = bin.resolve(name);
        Files.writeString(stub, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + ShellScriptExport.quote(log.toString())
                + "\n");
        assertThat(stub.toFile().setExecutable(true)).isTrue();
        return log;
    }
}
