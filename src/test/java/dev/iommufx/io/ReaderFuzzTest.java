package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz tests of the topology and scenario readers (docs/random-testing.md, "Fuzzing"). The promise checked:
 * any text is read within {@link Limits} into a machine the engine boots, or refused with a {@link FormatException} that names the file and,
 * for a problem at a place, its line, column and JSON path. Any other exception is a finding. In a normal
 * build each runs over its committed inputs ({@code src/test/resources/dev/iommufx/io/ReaderFuzzTestInputs/});
 * with {@code JAZZER_FUZZ=1} the one selected runs coverage-guided for its {@code maxDuration}.
 */
class ReaderFuzzTest {
    private static Path dir;

    @FuzzTest(maxDuration = "10m")
    void topology(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        try {
            Topology t = TopologyReader.parse(json, "fuzz.json");
            assertThat(t.devices()).hasSizeLessThanOrEqualTo(Limits.DEVICES);
            Kernel.boot(t); // what every command does next: a machine that was read must boot
        } catch (FormatException refused) {
            checkLocated(refused);
        }
    }

    /** A scenario next to a topology, a listing and a scenario it may name (or name something else). */
    @FuzzTest(maxDuration = "10m")
    void scenario(byte[] input) throws IOException {
        String json = new String(input, StandardCharsets.UTF_8);
        try {
            Scenario s = ScenarioReader.parse(json, "fuzz.json", files());
            assertThat(s.steps()).hasSizeLessThanOrEqualTo(Limits.STEPS);
            Kernel.boot(s.topology());
        } catch (FormatException refused) {
            if (!refused.file().endsWith("t.json")) { // a problem inside the named topology is reported there
                checkLocated(refused);
            }
        }
    }

    private static void checkLocated(FormatException e) {
        assertThat(e.getMessage()).startsWith("fuzz.json:");
        assertThat(e.problem()).isNotBlank();
        if (!e.jsonPath().equals("$")) {
            assertThat(e.line()).as("a problem at a place has a line: %s", e.getMessage()).isPositive();
        }
    }

    private static synchronized Path files() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("iommufx-fuzz-scenario");
            Files.copy(Path.of("topologies/t3-multifunction.json"), dir.resolve("t.json"));
            Files.writeString(dir.resolve("groups.txt"), "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel [8086:1901]\n");
            Files.writeString(dir.resolve("s.json"), "{\"title\": \"s\", \"topology\": \"t.json\", \"steps\": []}");
            Files.writeString(dir.resolve("secret.json"), "{\"token\": \"SECRET\"}");
            Files.writeString(dir.resolve("secret.txt"), "SECRET=1\n");
        }
        return dir;
    }
}
