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
