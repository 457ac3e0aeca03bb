package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The way back: every device the plan moved returns to the driver it had, with the passthrough script's checks. */
class RevertScriptTest {
    /** A sysfs copy as the passthrough left it: both functions on vfio-pci, their overrides set. */
    private static FakeSysfs afterPassthrough(Plan plan, Path root) throws Exception {
        Kernel after = Machines.boot("workstation.json");
        assertThat(plan.applyTo(after).everyGroupUserClaimed()).isTrue();
        FakeSysfs sysfs = FakeSysfs.of(after, root);
        FakeSysfs.write(sysfs.deviceDir(GPU).resolve("driver_override"), "vfio-pci\n");
        FakeSysfs.write(sysfs.deviceDir(GPU_AUDIO).resolve("driver_override"), "vfio-pci\n");
        return sysfs;
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void everyMovedDeviceGoesBackToItsDriver(List<String> shell, @TempDir Path tmp) throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(GPU));
        FakeSysfs sysfs = afterPassthrough(plan, tmp.resolve("sys"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path driverctlLog = tmp.resolve("driverctl.log");
        ScriptRun.stubDriverctl(bin, driverctlLog);

        ScriptRun run = ScriptRun.run(shell, RevertScriptExport.render(plan), tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sysfs.driverOverride(GPU)).isEqualTo("\n");
        assertThat(sysfs.driverOverride(GPU_AUDIO)).isEqualTo("\n");
        assertThat(sysfs.unbindOf("vfio-pci")).isEqualTo(GPU_AUDIO); // the last of the two unbinds
        assertThat(sysfs.bindOf("nouveau")).isEqualTo(GPU);
        assertThat(sysfs.bindOf("snd_hda_intel")).isEqualTo(GPU_AUDIO);
        assertThat(run.stdout()).contains("0000:01:00.0: binding it to nouveau",
                "0000:01:00.1: binding it to snd_hda_intel", "done: every device is back");
        assertThat(driverctlLog).as("a dry run never calls driverctl").doesNotExist();
        // nothing but the moved devices was touched
        assertThat(sysfs.driverOverride(Machines.IGPU)).isEmpty();
        assertThat(sysfs.bindOf("i915")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aDeviceThatIsNotTheOneThePlanSawStopsItBeforeAnyChange(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(GPU));
        FakeSysfs sysfs = afterPassthrough(plan, tmp.resolve("sys"));
        FakeSysfs.write(sysfs.deviceDir(GPU_AUDIO).resolve("device"), "0x1234\n");
        Map<String, String> before = sysfs.contents();

        ScriptRun run = ScriptRun.run(shell, RevertScriptExport.render(plan), tmp, sysfs.root,
                Files.createDirectories(tmp.resolve("bin")));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("device 0000:01:00.1 has device ID 0x1234");
        assertThat(sysfs.contents()).isEqualTo(before);
    }
}
