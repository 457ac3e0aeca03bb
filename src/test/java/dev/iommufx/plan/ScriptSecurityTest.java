package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
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

/**
 * A topology is untrusted input (imported from someone's machine, shared on a forum): names and driver names
 * full of shell metacharacters must never run as commands in the script, whatever the shell. Every payload
 * would create a PWNED file in the working directory; touch(1) is on the PATH so that it could.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs the scripts with a POSIX sh")
class ScriptSecurityTest {
    private static final String PAYLOAD = "$(touch PWNED1) `touch PWNED2` ; touch PWNED3 ' \" \ntouch PWNED4 $HOME *";
    /** The GPU's boot driver: command substitutions. */
    static final String EVIL_GPU_DRIVER = "nv$(touch PWNED1)`touch PWNED2`";
    /** The HDMI audio function's boot driver: a command separator, quotes, a newline, a variable, a glob. */
    static final String EVIL_AUDIO_DRIVER = "snd; touch PWNED3 'q' \"dq\"\ntouch PWNED4 $HOME *";
    static final String USB_ON_GPU = "0000:01:00.2";

    static Topology evilMachine() {
        DeviceSpec usb = Machines.pci(USB_ON_GPU, "0000:00:01.0", 0x10de, 0x1ad8, 0x0c0330, "USB-C " + PAYLOAD, null,
                2, false, PcieType.ENDPOINT);
        return Machines.gpuMachine("GPU " + PAYLOAD, EVIL_GPU_DRIVER, "HDMI audio " + PAYLOAD, EVIL_AUDIO_DRIVER,
                List.of(usb), List.of(), "machine " + PAYLOAD);
    }

    static Plan evilPlan(Kernel k) {
        return PassthroughPlanner.plan(k, List.of(GPU), "VM'$(touch PWNED5)\ntouch PWNED6");
    }

    @Test
    void untrustedTextAppearsOnlyInComments() {
        Kernel k = Kernel.boot(evilMachine());
        Plan plan = evilPlan(k);
        assertThat(plan.group(2).member(GPU_AUDIO).action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(plan.group(2).member(USB_ON_GPU).action()).isEqualTo(MemberAction.NOTHING);
        assertThat(plan.warnings()).extracting(PlanWarning::kind).contains(PlanWarning.Kind.USB);
        String script = ShellScriptExport.render(plan);

        assertThat(script).contains("touch PWNED"); // the names are there, in comments, for the reader
        for (String line : script.split("\n", -1)) {
            if (!line.startsWith("#")) {
                assertThat(line).as("a line that is not a comment").doesNotContain("touch").doesNotContain("PWNED")
                        .doesNotContain("$HOME");
            }
        }
        assertThat(script).doesNotContain("\r");
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void withDriverctlOnlyTheExpectedArgumentsReachIt(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Kernel.boot(evilMachine());
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Map<String, String> before = sysfs.contents();
        Path bin = armedBin(tmp);
        Path log = tmp.resolve("driverctl.log");
        ScriptRun.stubDriverctl(bin, log);

        // driverctl runs only on the real /sys; to watch its arguments on a copy, the test opens that guard
        String script = ShellScriptExport.render(evilPlan(k));
        String guard = "if [ \"$SYSFS\" = /sys ] && command -v driverctl >/dev/null 2>&1; then";
        assertThat(script).contains(guard);
        script = script.replace(guard, "if command -v driverctl >/dev/null 2>&1; then");

        ScriptRun run = ScriptRun.run(shell, script, tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(ScriptRun.pwned(tmp)).as(run.toString()).isEmpty();
        assertThat(ScriptRun.pwnedHere()).isEmpty();
        assertThat(Files.readString(log)).isEqualTo(
                "[set-override][0000:01:00.0][vfio-pci]\n"
                        + "[set-override][0000:01:00.1][vfio-pci]\n");
        assertThat(sysfs.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void withoutDriverctlTheSysfsWritesHoldExactlyTheExpectedValues(List<String> shell, @TempDir Path tmp)
            throws Exception {
        Kernel k = Kernel.boot(evilMachine());
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Path bin = armedBin(tmp);

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(evilPlan(k)), tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(ScriptRun.pwned(tmp)).as(run.toString()).isEmpty();
        assertThat(ScriptRun.pwnedHere()).isEmpty();
        assertThat(sysfs.driverOverride(GPU)).isEqualTo("vfio-pci");
        assertThat(sysfs.driverOverride(GPU_AUDIO)).isEqualTo("vfio-pci");
        assertThat(sysfs.driverOverride(USB_ON_GPU)).isEmpty();
        assertThat(sysfs.unbindOf(EVIL_GPU_DRIVER)).isEqualTo(GPU);
        assertThat(sysfs.unbindOf(EVIL_AUDIO_DRIVER)).isEqualTo(GPU_AUDIO);
        assertThat(sysfs.bindOf("vfio-pci")).isEqualTo(GPU_AUDIO); // the last of the two binds
        assertThat(run.stdout()).contains("0000:01:00.0: binding it to vfio-pci")
                .contains("0000:01:00.1: binding it to vfio-pci")
                // the driver names the script read from sysfs are printed as data
                .contains("0000:01:00.0: unbinding it from " + EVIL_GPU_DRIVER);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aVendorIdThatDiffersStopsTheScriptBeforeAnyChange(List<String> shell, @TempDir Path tmp) throws Exception {
        Kernel k = Kernel.boot(evilMachine());
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        FakeSysfs.write(sysfs.deviceDir(GPU_AUDIO).resolve("vendor"), "0x8086\n");
        Map<String, String> before = sysfs.contents();
        Path bin = armedBin(tmp);
        Path log = tmp.resolve("driverctl.log");
        ScriptRun.stubDriverctl(bin, log);

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(evilPlan(k)), tmp, sysfs.root, bin);

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.stderr()).contains("device 0000:01:00.1 has vendor ID 0x8086, the plan expects 0x10de");
        assertThat(sysfs.contents()).isEqualTo(before);
        assertThat(log).doesNotExist();
        assertThat(ScriptRun.pwned(tmp)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aVfioDriverWithAStrangeNameIsNotUsed(List<String> shell, @TempDir Path tmp) throws Exception {
        String evilVfio = "vfio'$(touch PWNED7)'";
        DriverSpec vfio = new DriverSpec(evilVfio, BusType.PCI, true, true, MatchRules.OVERRIDE_ONLY, null, List.of());
        Kernel k = Kernel.boot(Machines.gpuMachine("GPU", "nouveau", "Audio", "snd_hda_intel", List.of(),
                List.of(vfio), "strange vfio"));
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));
        assertThat(plan.group(2).member(GPU).targetDriver()).isEqualTo(evilVfio);
        assertThat(ShellScriptExport.problems(plan)).isNotEmpty();
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));
        Map<String, String> before = sysfs.contents();

        ScriptRun run = ScriptRun.run(shell, ShellScriptExport.render(plan), tmp, sysfs.root, armedBin(tmp));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(ScriptRun.pwned(tmp)).isEmpty();
        assertThat(sysfs.contents()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void aNonPciDeviceWithAStrangeIdIsNotActedOn(List<String> shell, @TempDir Path tmp) throws Exception {
        String evilId = "fe300000.eth'$(touch PWNED8)\n`touch PWNED9`";
        DeviceSpec eth = new DeviceSpec(evilId, BusType.PLATFORM, null, 0, 0, 0, "snps,dwmac", PAYLOAD, "stmmaceth",
                3, false, null, null, null, null, null);
        List<DriverSpec> drivers = List.of(
                new DriverSpec("stmmaceth", BusType.PLATFORM, false, false,
                        new MatchRules(List.of("snps,dwmac"), List.of(), false), null, List.of()),
                new DriverSpec("vfio-platform", BusType.PLATFORM, true, true, MatchRules.OVERRIDE_ONLY, null,
                        List.of()));
        Kernel k = Kernel.boot(Machines.gpuMachine("GPU", "nouveau", "Audio", "snd_hda_intel", List.of(eth),
                drivers, "platform"));
        Plan plan = PassthroughPlanner.plan(k, List.of(evilId));
        assertThat(plan.feasible()).isTrue();
        String script = ShellScriptExport.render(plan);
        assertThat(ShellScriptExport.problems(plan)).singleElement().asString().contains("PCI devices only");
        for (String line : script.split("\n", -1)) {
            if (!line.startsWith("#")) {
                assertThat(line).doesNotContain("PWNED");
            }
        }
        FakeSysfs sysfs = FakeSysfs.of(k, tmp.resolve("sys"));

        ScriptRun run = ScriptRun.run(shell, script, tmp, sysfs.root, armedBin(tmp));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(ScriptRun.pwned(tmp)).isEmpty();
    }

    /** The harness can see an injection: a naive script built from the same payloads does create the files. */
    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void theHarnessWouldCatchAnInjection(List<String> shell, @TempDir Path tmp) throws Exception {
        String naive = "#!/bin/sh\n"
                + "echo x$(touch PWNED1)\n"
                + "echo \"x`touch PWNED2`\"\n"
                + "echo x; touch PWNED3\n"
                + "# a name with a newline\ntouch PWNED4\n";
        FakeSysfs sysfs = FakeSysfs.of(Kernel.boot(evilMachine()), tmp.resolve("sys"));
        ScriptRun.run(shell, naive, tmp, sysfs.root, armedBin(tmp));
        assertThat(ScriptRun.pwned(tmp)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("PWNED1", "PWNED2", "PWNED3", "PWNED4");
    }

    /** A PATH directory with touch(1) in it, so that an injected command would run. */
    private static Path armedBin(Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("touch"), ShellQuotingTest.touch());
        return bin;
    }
}
