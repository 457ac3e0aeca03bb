package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.scenario.StepKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas in docs/schema/ describe what the readers accept: the same keys at every level, the same
 * required keys, and the same names for enumerated values. Changing one without the other fails here.
 */
class SchemaDriftTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode topology;
    private static JsonNode scenario;

    @BeforeAll
    static void readSchemas() throws IOException {
        topology = MAPPER.readTree(Path.of("docs/schema/topology.schema.json").toFile());
        scenario = MAPPER.readTree(Path.of("docs/schema/scenario.schema.json").toFile());
    }

    private static List<String> keys(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static JsonNode def(JsonNode schema, String name) {
        JsonNode found = schema.path("$defs").path(name);
        assertThat(found.isMissingNode()).as("$defs/%s", name).isFalse();
        return found;
    }

    @Test
    void bothSchemasAreDraft202012AndClosed() {
        for (JsonNode schema : List.of(topology, scenario)) {
            assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        }
    }

    @Test
    void topologyKeysMatchTheReader() {
        assertThat(keys(topology.get("properties"))).isEqualTo(TopologyReader.TOPOLOGY_KEYS);
        assertThat(keys(def(topology, "device").get("properties"))).isEqualTo(DeviceReader.DEVICE_KEYS);
        assertThat(keys(def(topology, "acs").get("properties"))).isEqualTo(DeviceReader.ACS_KEYS);
        assertThat(keys(def(topology, "sriov").get("properties"))).isEqualTo(DeviceReader.SRIOV_KEYS);
        assertThat(keys(def(topology, "quirks").get("properties"))).isEqualTo(DeviceReader.QUIRK_KEYS);
        assertThat(keys(def(topology, "driver").get("properties"))).isEqualTo(DriverReader.DRIVER_KEYS);
        assertThat(keys(def(topology, "match").get("properties"))).isEqualTo(DriverReader.MATCH_KEYS);
        assertThat(keys(def(topology, "group").get("properties"))).isEqualTo(TopologyReader.GROUP_KEYS);
        assertThat(keys(def(topology, "facts").get("properties"))).isEqualTo(FactsFormat.FACTS_KEYS);
        assertThat(keys(def(topology, "deviceFacts").get("properties"))).isEqualTo(FactsFormat.DEVICE_KEYS);
        for (String name : List.of("device", "acs", "quirks", "driver", "match", "group")) {
            assertThat(def(topology, name).path("additionalProperties").asBoolean(true)).as(name).isFalse();
        }
    }

    /** Each key the schema requires is refused by the reader when it is left out of a valid file. */
    @Test
    void topologyRequiredKeysAreTheReadersRequiredKeys() throws IOException {
        String valid = """
                {"name": "n", "description": "",
                 "devices": [{"id": "0000:00:00.0", "acs": {"cap": "0000", "ctrl": "0000"}}],
                 "drivers": [{"name": "d"}], "groups": [{"id": 0}]}
                """;
        assertRequired(valid, topology.get("required"), "");
        assertRequired(valid, def(topology, "device").get("required"), "/devices/0");
        assertRequired(valid, def(topology, "driver").get("required"), "/drivers/0");
        assertRequired(valid, def(topology, "group").get("required"), "/groups/0");
        assertRequired(valid, def(topology, "acs").get("required"), "/devices/0/acs");
        assertThat(strings(topology.get("required"))).containsExactly("name", "devices", "drivers");
    }

    /** @param pointer JSON Pointer of the object in {@code valid} that the keys belong to */
    private static void assertRequired(String valid, JsonNode required, String pointer) throws IOException {
        for (JsonNode key : required) {
            JsonNode doc = MAPPER.readTree(valid);
            ((ObjectNode) doc.at(pointer)).remove(key.asText());
            FormatException e = catchThrowableOfType(FormatException.class,
                    () -> TopologyReader.parse(doc.toString(), null));
            assertThat(e).as("without %s", key).isNotNull();
            assertThat(e.problem()).startsWith("missing key \"" + key.asText() + "\"");
        }
    }

    @Test
    void topologyNamesMatchTheReader() {
        assertThat(strings(def(topology, "bus").get("enum"))).isEqualTo(Vocabulary.BUS.names());
        assertThat(strings(def(topology, "pcieType").get("enum"))).isEqualTo(Vocabulary.PCIE_TYPE.names());
        assertThat(strings(topology.at("/properties/defaultDomainType/enum")))
                .isEqualTo(Vocabulary.DEFAULT_DOMAIN_TYPE.names());
        assertThat(strings(topology.at("/properties/iommuDetach/enum"))).isEqualTo(Vocabulary.IOMMU_DETACH.names());
        assertThat(strings(def(topology, "group").at("/properties/defaultDomain/enum")))
                .isEqualTo(Vocabulary.GROUP_DEFAULT_DOMAIN.names());
        assertThat(strings(def(topology, "device").at("/properties/requiredDomain/enum")))
                .isEqualTo(Vocabulary.REQUIRED_DOMAIN.names());
        assertThat(strings(def(topology, "driver").at("/properties/probeErrno/enum")))
                .isEqualTo(Vocabulary.ERRNO.names());
        assertThat(topology.at("/properties/format/const").asText()).isEqualTo(TopologyReader.FORMAT);
    }

    @Test
    void scenarioKeysAndNamesMatchTheReader() {
        assertThat(keys(scenario.get("properties"))).isEqualTo(ScenarioReader.SCENARIO_KEYS);
        assertThat(scenario.at("/properties/format/const").asText()).isEqualTo(ScenarioReader.FORMAT);
        assertThat(strings(scenario.at("/properties/kernel/enum"))).isEqualTo(ScenarioReader.SUPPORTED_KERNELS);
        assertThat(strings(def(scenario, "result").get("enum"))).isEqualTo(Vocabulary.RESULT.names());
        List<String> expectKeys = new ArrayList<>(StepReader.EXPECT_KEYS);
        assertThat(keys(def(scenario, "expectStatus").get("properties"))).isEqualTo(expectKeys);
        expectKeys.remove("flags"); // only vfio_group_status expects flags
        assertThat(keys(def(scenario, "expect").get("properties"))).isEqualTo(expectKeys);
        assertThat(strings(def(scenario, "expect").at("/properties/groups/additionalProperties/enum")))
                .isEqualTo(Vocabulary.GROUP_STATE.names());
        assertThat(strings(def(scenario, "expectStatus").at("/properties/flags/items/enum")))
                .isEqualTo(Vocabulary.VFIO_FLAG.names());
    }

    @Test
    void everyStepKindHasItsSchemaWithTheReadersKeys() {
        assertThat(strings(def(scenario, "step").at("/properties/do/enum"))).isEqualTo(StepKind.keys());
        assertThat(def(scenario, "step").get("allOf")).hasSize(StepKind.values().length);
        for (StepKind kind : StepKind.values()) {
            JsonNode step = def(scenario, "step-" + kind.key());
            assertThat(keys(step.get("properties"))).as(kind.key()).isEqualTo(StepReader.keysOf(kind));
            List<String> required = new ArrayList<>(List.of("do"));
            kind.args().stream().filter(StepKind.Arg::required).forEach(arg -> required.add(arg.name()));
            assertThat(strings(step.get("required"))).as(kind.key()).isEqualTo(required);
            assertThat(step.at("/properties/do/const").asText()).isEqualTo(kind.key());
            assertThat(step.path("additionalProperties").asBoolean(true)).isFalse();
        }
        assertThat(strings(def(scenario, "step-vfio_set_iommu").at("/properties/type/enum")))
                .isEqualTo(Vocabulary.VFIO_IOMMU_TYPE.names());
    }
}
