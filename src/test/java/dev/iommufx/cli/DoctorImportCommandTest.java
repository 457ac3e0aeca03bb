package dev.iommufx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} (text and JSON, exit codes) and {@code import -o} (what the saved file answers). */
class DoctorImportCommandTest {
    private static final String T7 = "src/test/resources/fixtures/kernel-6.1-machines/T7-workstation-dma.tar.gz";
    private static final String GIST = "src/test/resources/imports/pasted/5-r15ch13-gist/03.txt";

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = cli.run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void doctorJsonHasTheIssuesShapeWithNullWhereTheSourceCannotTell() throws Exception {
        Run r = run("doctor", "--json", T7);
        assertThat(r.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("iommu", "devices", "findings");
        JsonNode iommu = root.get("iommu");
        assertThat(iommu.get("enabled").asBoolean()).isTrue();
        assertThat(iommu.get("interruptRemapping").asBoolean()).isTrue();
        assertThat(iommu.get("defaultDomainTypes").toString()).isEqualTo("[\"DMA-FQ\"]");
        assertThat(iommu.get("acsOverride").asBoolean(true)).isFalse();
        JsonNode gpu = root.get("devices").get("0000:01:00.0");
        assertThat(gpu.get("reset").toString()).isEqualTo("[\"bus\"]");
        assertThat(gpu.get("bootVga").asBoolean()).isTrue();
        assertThat(gpu.get("sriov").isNull()).isTrue();
        JsonNode first = root.get("findings").get(0);
        assertThat(first.get("severity").asText()).isEqualTo("warning");
        assertThat(first.has("text")).isTrue();

        JsonNode listing = new ObjectMapper().readTree(run("doctor", "--json", GIST).out()).get("iommu");
        assertThat(listing.get("interruptRemapping").isNull()).isTrue();
        assertThat(listing.get("cmdline").isNull()).isTrue();
        assertThat(listing.get("acsOverride").isNull()).isTrue();
        assertThat(listing.get("defaultDomainTypes").size()).isZero();
    }

    @Test
    void doctorTextNamesTheBootGpuAndExitsOneOnlyOnAnError() {
        Run r = run("doctor", T7);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("IOMMU:               on", "0000:01:00.0  reset: bus; boot VGA: yes",
                "warning: 0000:01:00.0 is the boot VGA device");
        Run listing = run("doctor", "src/test/resources/imports/pasted/1-find-type-l/03.txt");
        assertThat(listing.code()).isZero();
        assertThat(listing.out()).contains("interrupt remapping: not known");
    }

    /** What a kernel log or command line alone tells (sources in the pasted samples' SOURCES.md). */
    @Test
    void aKernelLogOrCommandLineAloneAnswersWhetherTheIommuIsOn(@TempDir Path dir) throws Exception {
        String samples = "src/test/resources/imports/pasted/9-iommu-state-reset-bootvga/";
        Run dmar = run("doctor", samples + "06.txt");
        assertThat(dmar.code()).as(dmar.err()).isZero();
        assertThat(dmar.out()).contains("warning: The kernel log shows the firmware's Intel VT-d (DMAR) tables but no"
                + " \"DMAR: IOMMU enabled\" line", "ok: Interrupt remapping is on.", "The source lists no device");
        Run vga = run("doctor", samples + "09.txt");
        assertThat(vga.out()).as("the later line overrides the first").contains(
                "The kernel log names 0000:01:00.0 the boot VGA device").doesNotContain("names 0000:00:02.0");
        assertThat(run("doctor", samples + "11.txt").out()).contains("The kernel log shows AMD-Vi");
        Path cmdline = Files.writeString(dir.resolve("cmdline.txt"),
                "$ cat /proc/cmdline\nBOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=/dev/sda2 ro quiet intel_iommu=off\n");
        Run off = run("doctor", "--json", cmdline.toString());
        assertThat(off.code()).as("an error: the IOMMU is off").isEqualTo(1);
        JsonNode iommu = new ObjectMapper().readTree(off.out()).get("iommu");
        assertThat(iommu.get("enabled").asBoolean(true)).isFalse();
        assertThat(off.out()).contains("remove that option");
    }

    @Test
    void importWritesAMachineWhoseGroupsAndReadinessAreTheSources(@TempDir Path dir) throws Exception {
        for (String source : List.of(T7, GIST, "src/test/resources/imports/pasted/2-ls-devices/01.txt",
                "src/test/resources/imports/pasted/8-nodedev-dumpxml/01.txt")) {
            Path saved = dir.resolve(Path.of(source).getFileName() + ".json");
            Run imported = run("import", source, "-o", saved.toString());
            assertThat(imported.code()).as(source).isZero();
            assertThat(imported.out()).startsWith("wrote " + saved);
            assertThat(run("check", saved.toString()).code()).as(source).isZero();
            assertThat(run("groups", saved.toString()).out()).as(source).isEqualTo(run("groups", source).out());
            assertThat(run("doctor", "--json", saved.toString()).out()).as(source)
                    .isEqualTo(run("doctor", "--json", source).out());
        }
        assertThat(Files.readString(dir.resolve("T7-workstation-dma.tar.gz.json"))).contains("\"facts\"",
                "\"bootVga\": true");
    }

    @Test
    void importRefusesAFileItCannotRead(@TempDir Path dir) {
        Run r = run("import", dir.resolve("missing.txt").toString(), "-o", dir.resolve("out.json").toString());
        assertThat(r.code()).isEqualTo(Cli.INVALID);
        assertThat(Files.exists(dir.resolve("out.json"))).isFalse();
    }
}
