package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code src/test/resources/malformed/} must be refused with the file, line, column, JSON path
 * and message fragment recorded for it in {@code expected.json}. Files named {@code scenario-*} are read
 * as scenarios, the others as topologies; {@code ok-topology.json} is the valid topology the scenarios use.
 */
class MalformedFilesTest {
    private static final Path DIR = Path.of("src/test/resources/malformed");
    private static final String INDEX = "expected.json";
    private static final String VALID_TOPOLOGY = "ok-topology.json";

    static Stream<Arguments> cases() throws IOException {
        JsonNode index = new ObjectMapper().readTree(DIR.resolve(INDEX).toFile());
        List<Arguments> out = new ArrayList<>();
        index.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue())));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWhereExpected(String name, JsonNode expected) {
        FormatException e = catchThrowableOfType(FormatException.class, () -> read(DIR.resolve(name)));

        assertThat(e).as("%s must be refused", name).isNotNull();
        String file = expected.has("file") ? expected.get("file").asText() : name;
        assertThat(Path.of(e.file()).getFileName()).hasToString(file);
        assertThat(e.line()).as("line").isEqualTo(expected.get("line").asInt());
        if (!expected.path("column").isNull() && expected.has("column")) {
            assertThat(e.column()).as("column").isEqualTo(expected.get("column").asInt());
        }
        if (!expected.path("path").isNull() && expected.has("path")) {
            assertThat(e.jsonPath()).as("JSON path").isEqualTo(expected.get("path").asText());
        }
        assertThat(e.getMessage()).contains(expected.get("contains").asText())
                .startsWith(e.file() + ":" + e.line() + ":" + e.column() + ": " + e.jsonPath() + ": ");
    }

    @Test
    void everyMalformedFileIsIndexedAndThereAreEnough() throws IOException {
        JsonNode index = new ObjectMapper().readTree(DIR.resolve(INDEX).toFile());
        List<String> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(INDEX) && !n.equals(VALID_TOPOLOGY)).sorted().toList();
        }
        List<String> indexed = new ArrayList<>();
        index.fieldNames().forEachRemaining(indexed::add);
        assertThat(indexed).containsExactlyInAnyOrderElementsOf(files);
        assertThat(files).hasSizeGreaterThanOrEqualTo(35);
    }

    @Test
    void theValidTopologyNextToThemLoads() throws FormatException {
        assertThat(TopologyReader.read(DIR.resolve(VALID_TOPOLOGY)).devices()).hasSize(4);
    }

    private static void read(Path file) throws FormatException {
        if (file.getFileName().toString().startsWith("scenario-")) {
            ScenarioReader.read(file);
        } else {
            TopologyReader.read(file);
        }
    }
}
