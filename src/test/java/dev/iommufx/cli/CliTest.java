package dev.iommufx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The headless commands: output and exit codes. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void replayPrintsTheCallPathAndExitsZeroWhenEveryExpectationHolds() {
        int code = cli.run(List.of("replay", "topologies/scenarios/workstation-gpu-passthrough.json"));
        assertThat(code).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("iommu_group_claim_dma_owner -> -EPERM", "group 8 is owned by user vfio-group 8",
                "20 passed, 0 failed");
    }

    @Test
    void replayJsonGivesOneObjectPerStep() throws IOException {
        assertThat(cli.run(List.of("replay", "--json", "topologies/kernel-6.1/t3-multifunction-claim.json"))).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(33);
        JsonNode step = new ObjectMapper().readTree(lines.get(7));
        assertThat(step.get("do").asText()).isEqualTo("vfio_set_container");
        assertThat(step.get("result").asText()).isEqualTo("EPERM");
        assertThat(step.get("expect").asText()).isEqualTo("met");
        assertThat(step.get("groups").get("3").get("state").asText()).isEqualTo("DMA_API_OWNED");
        assertThat(step.get("groups").get("3").get("ownerCount").asInt()).isEqualTo(1);
        assertThat(step.get("path").get(0).get("function").asText()).isEqualTo("vfio_group_ioctl_set_container");
        assertThat(step.get("drivers").get("0000:01:00.1").asText()).isEqualTo("e1000e");
    }

    @Test
    void aFailedExpectationExitsOne(@TempDir Path dir) throws IOException {
        Path topology = dir.resolve("t.json");
        Files.copy(Path.of("topologies/t3-multifunction.json"), topology);
        Files.writeString(dir.resolve("s.json"), """
                {"title": "wrong on purpose", "topology": "t.json",
                 "steps": [{"do": "vfio_open_container", "handle": "C"},
                           {"do": "unbind", "device": "0000:01:00.0", "expect": {"result": "EBUSY"}}]}
                """);
        assertThat(cli.run(List.of("replay", dir.resolve("s.json").toString()))).isEqualTo(Cli.EXPECTATION_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("expected EBUSY, the engine answered ok",
                "0 passed, 1 failed");
    }

    @Test
    void invalidInputExitsTwoWithTheLocation(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": \"x\", \"devices\": [{\"id\": \"0000:00:01.0\", \"colour\": 1}], \"drivers\": []}");
        assertThat(cli.run(List.of("check", bad.toString()))).isEqualTo(Cli.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.json:1:", "$.devices[0]", "colour");
    }

    @Test
    void checkAndGroups() {
        assertThat(cli.run(List.of("check", "topologies/t2-pcibridge.json"))).isZero();
        assertThat(cli.run(List.of("groups", "topologies/t2-pcibridge.json"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("IOMMU group 3  DMA-API owned  [K(2)",
                "0000:02:01.0", "e1000", "Derived from the PCI data", "no change: the groups are the same");
    }

    @Test
    void usageMistakesExitTwo() {
        assertThat(cli.run(List.of())).isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("replay"))).isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("frobnicate", "x.json"))).isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("check", "does-not-exist.json"))).isEqualTo(Cli.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'", "no such file");
    }

    /** Every command answers --help with its usage and exit 0; the program answers --version. */
    @ParameterizedTest
    @ValueSource(strings = {"gui", "replay", "check", "groups", "profiles", "explain", "plan", "whatif"})
    void everyCommandHasHelp(String command) {
        assertThat(cli.run(List.of(command, "--help"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: iommufx " + command);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void versionNamesTheReleaseAndTheJava() {
        assertThat(cli.run(List.of("--version"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("iommufx 0.1.0").contains("Java 17");
    }

    @Test
    void optionsTakeTheirValueWithAnEqualsSign() {
        assertThat(cli.run(List.of("groups", "--kernel=newest", "topologies/t2-pcibridge.json"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(kernel newest)");
    }

    @Test
    void unknownOptionsAndBadValuesAreRefusedWithExitTwo() {
        assertThat(cli.run(List.of("groups", "--json", "topologies/workstation.json"))).isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("groups", "--kernel", "5.4", "topologies/workstation.json")))
                .isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("whatif", "topologies/workstation.json", "--acs-override", "downstream,bogus")))
                .isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("whatif", "topologies/workstation.json", "--enable-acs", "0000:42:00.0")))
                .isEqualTo(Cli.INVALID);
        assertThat(cli.run(List.of("plan", "topologies/workstation.json", "--assign", "0000:42:00.0")))
                .isEqualTo(Cli.INVALID);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--json'",
                "'5.4' is not a kernel profile (expected one of v7-series, 6.1, newest)", "'bogus'",
                "no device 0000:42:00.0 in topologies/workstation.json");
    }

    @Test
    void checkTakesSeveralFilesAndFailsIfOneIsBad(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{");
        assertThat(cli.run(List.of("check", "topologies/t2-pcibridge.json", bad.toString(),
                "bundled:scenarios/01-canonical-flow.json"))).isEqualTo(Cli.INVALID);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ok: topologies/t2-pcibridge.json",
                "ok: bundled:scenarios/01-canonical-flow.json");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.json:");
    }

    /** A plan whose script would stop at once (platform devices: the script moves PCI devices only) is not a success. */
    @Test
    void aPlanWhoseScriptWouldRefuseToRunExitsOne(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("p.sh");
        int code = cli.run(List.of("plan", "topologies/history/arm-soc-platform.json", "--assign",
                "e0700000.xgmac", "--script", script.toString()));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("every group reached USER_CLAIMED");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the script will refuse to run",
                "this script handles PCI devices only");
        assertThat(code).isEqualTo(Cli.EXPECTATION_FAILED);
        assertThat(Files.readString(script)).contains("THIS PLAN CANNOT BE CARRIED OUT");
    }

    /** Names from a file reach the terminal with their control characters made visible, never acting on it. */
    @Test
    void controlCharactersFromAFileAreEscapedOnTheTerminal(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("t.json");
        // JSON escapes (not Java's): the file holds ESC, BEL, CR and a right-to-left override in its names
        Files.writeString(t, """
                {"name": "evil\\u001b]0;owned\\u0007", "devices": [
                  {"id": "0000:00:00.0", "name": "host bridge\\u001b[2J\\rfake\\u202e"}],
                 "drivers": []}
                """);
        assertThat(cli.run(List.of("groups", t.toString()))).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("evil\\e]0;owned\\x07", "host bridge\\e[2J\\rfake\\u202e");
        assertThat(text.chars().filter(c -> c < 0x20 && c != '\n').count()).isZero();
        assertThat(text).doesNotContain("\u202e");
    }

    @Test
    void planSaysWhatMustMoveAndWritesAScript(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("gpu.sh");
        int code = cli.run(List.of("plan", "topologies/workstation.json", "--assign", "0000:01:00.0",
                "--script", script.toString()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("must leave snd_hda_intel",
                "every group reached USER_CLAIMED");
        assertThat(Files.readString(script)).startsWith("#!/bin/sh").contains("SYSFS=\"${SYSFS:-/sys}\"");
    }

    @Test
    void commandsReadWhatAMachineGives() {
        // a sysfs snapshot of the real T5 machine (fixtures/kernel-6.1/sysfs): the kernel's groups
        assertThat(cli.run(List.of("groups", "src/test/resources/fixtures/kernel-6.1/sysfs/T5-switch-boot.tar.gz")))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("6 IOMMU groups", "IOMMU group 4",
                "0000:02:00.0", "0000:03:00.0");
        assertThat(cli.run(List.of("explain", "src/test/resources/fixtures/kernel-6.1/sysfs/T5-switch-boot.tar.gz",
                "03:00.0"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("downstream port without an ACS capability");
    }
}
