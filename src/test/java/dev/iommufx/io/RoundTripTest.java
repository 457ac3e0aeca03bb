package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iommufx.engine.GroupState;
import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PciQuirks;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Expectation;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the writers produce reads back to an equal model, and writing that again gives the same text. */
class RoundTripTest {

    /** Every setting away from its default. */
    static Topology everything() {
        DeviceSpec vmd = new DeviceSpec("10000:00:02.0", BusType.PCI, null, 0x8086, 0x9a0b, 0x010802, null, "NVMe",
                "nvme", null, true, PcieType.RC_INTEGRATED_ENDPOINT, new Acs(0x5f, 0x1d), "vfio-pci",
                DomainType.IDENTITY, new PciQuirks(true, List.of(0xff, 0x01), true, true));
        DeviceSpec bridge = new DeviceSpec("0000:00:1e.0", BusType.PCI, null, 0x8086, 0x244e, 0x060401, null, null,
                null, 3, false, null, null, null, null, new PciQuirks(false, List.of(), false, false));
        DeviceSpec eth = new DeviceSpec("fe300000.ethernet", BusType.PLATFORM, null, 0, 0, 0, "snps,dwmac",
                "Ethernet", "dwmac", 7, false, null, null, null, DomainType.DMA, null);
        DeviceSpec child = DeviceSpec.pci("0000:01:00.0", "0000:00:1e.0", 0x1b36, 0x0001, 0x020000, null, 3,
                PcieType.ENDPOINT);
        List<DriverSpec> drivers = List.of(
                new DriverSpec("nvme", BusType.PCI, false, false,
                        new MatchRules(List.of("8086:ffff"), List.of("0108"), false), null, List.of()),
                new DriverSpec("vfio-pci", BusType.PCI, true, true, MatchRules.OVERRIDE_ONLY, null, List.of()),
                new DriverSpec("pcieport", BusType.PCI, true, false, new MatchRules(List.of(), List.of("0604"), true),
                        "ENODEV", List.of(PcieType.ROOT_PORT, PcieType.DOWNSTREAM_PORT)),
                new DriverSpec("dwmac", BusType.PLATFORM, false, false,
                        new MatchRules(List.of("snps,dwmac"), List.of(), false), null, List.of()),
                new DriverSpec("nomatch", BusType.AMBA, false, false, new MatchRules(List.of(), List.of(), false),
                        null, List.of()));
        List<GroupSpec> groups = List.of(new GroupSpec(3, DomainType.IDENTITY), new GroupSpec(7, null),
                new GroupSpec(9, DomainType.DMA_FQ));
        return new Topology("everything", "Every key away from its default.", DomainType.IDENTITY,
                DomainType.IDENTITY, List.of(child, vmd, bridge, eth), drivers, groups);
    }

    static Scenario everyStepScenario(String source) throws FormatException {
        Scenario read = ScenarioReader.parse(ScenarioReaderTest.scenario(TopologyReaderTest.WORKSTATION), null, null);
        Step extra = Step.of(StepKind.VFIO_DMA_MAP, "container", "C", "iova", Long.MIN_VALUE, "size", 0)
                .withExpect(new Expectation(null, Map.of(), Map.of(), 2, null)).withNote("high IOVA");
        Step empty = Step.of(StepKind.RESCAN).withExpect(new Expectation(null, null, null, null, null));
        Step status = Step.of(StepKind.VFIO_GROUP_STATUS, "handle", "G")
                .withExpect(new Expectation("ok", null, Map.of(3, GroupState.USER_CLAIMED, 12, GroupState.BLOCKED),
                        null, List.of()));
        List<Step> steps = new java.util.ArrayList<>(read.steps());
        steps.addAll(List.of(extra, empty, status));
        return new Scenario("Every step", "A description.", "6.1", read.topology(), source, steps);
    }

    static void assertSameTopology(Topology actual, Topology expected) {
        assertThat(actual.name()).isEqualTo(expected.name());
        assertThat(actual.description()).isEqualTo(expected.description());
        assertThat(actual.defaultDomainType()).isEqualTo(expected.defaultDomainType());
        assertThat(actual.iommuDetach()).isEqualTo(expected.iommuDetach());
        assertThat(actual.devices()).isEqualTo(expected.devices());
        assertThat(actual.drivers()).isEqualTo(expected.drivers());
        assertThat(actual.groups()).isEqualTo(expected.groups());
    }

    static void assertSameScenario(Scenario actual, Scenario expected) {
        assertThat(actual.title()).isEqualTo(expected.title());
        assertThat(actual.description()).isEqualTo(expected.description());
        assertThat(actual.kernel()).isEqualTo(expected.kernel());
        assertThat(actual.topologySource()).isEqualTo(expected.topologySource());
        assertThat(actual.steps()).isEqualTo(expected.steps());
        assertSameTopology(actual.topology(), expected.topology());
    }

    @Test
    void aTopologyWithEverySettingSurvivesWritingAndReading() throws FormatException {
        Topology original = everything();
        String json = TopologyWriter.toJson(original);

        assertSameTopology(TopologyReader.parse(json, "written.json"), original);
        assertThat(TopologyWriter.toJson(TopologyReader.parse(json, null))).isEqualTo(json);
    }

    @Test
    void defaultsAreLeftOut() throws FormatException {
        Topology minimal = TopologyReader.parse("""
                {"name": "m", "devices": [{"id": "0000:00:00.0"}], "drivers": [{"name": "stub"}],
                 "groups": [{"id": 0, "defaultDomain": "DMA-FQ"}]}
                """, null);

        assertThat(TopologyWriter.toJson(minimal)).isEqualTo("""
                {
                  "format": "iommufx-topology/1",
                  "name": "m",
                  "devices": [
                    {"id": "0000:00:00.0"}
                  ],
                  "drivers": [
                    {"name": "stub"}
                  ],
                  "groups": [
                    {"id": 0}
                  ]
                }
                """);
    }

    @Test
    void aScenarioWithAnInlineTopologySurvives() throws FormatException {
        Scenario original = everyStepScenario(ScenarioReader.INLINE_TOPOLOGY);
        String json = ScenarioWriter.toJson(original);

        Scenario read = ScenarioReader.parse(json, null, null);

        assertSameScenario(read, original);
        assertThat(ScenarioWriter.toJson(read)).isEqualTo(json);
    }

    @Test
    void aScenarioKeepsItsTopologyPath(@TempDir Path dir) throws IOException, FormatException {
        Path topologies = Files.createDirectory(dir.resolve("topologies"));
        TopologyWriter.write(TopologyReader.parse(TopologyReaderTest.WORKSTATION, null),
                topologies.resolve("workstation.json"));
        Path scenarios = Files.createDirectory(dir.resolve("scenarios"));
        Scenario original = everyStepScenario("../topologies/workstation.json");

        ScenarioWriter.write(original, scenarios.resolve("every.json"));
        Scenario read = ScenarioReader.read(scenarios.resolve("every.json"));

        assertSameScenario(read, original);
        assertThat(Files.readString(scenarios.resolve("every.json")))
                .contains("\"topology\": \"../topologies/workstation.json\"");
    }

    @Test
    void writingToAFileReadsBack(@TempDir Path dir) throws IOException, FormatException {
        Path file = dir.resolve("everything.json");
        TopologyWriter.write(everything(), file);
        TopologyWriter.write(everything(), file);

        assertSameTopology(TopologyReader.read(file), everything());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    static Stream<Path> bundledFiles() throws IOException {
        Path bundled = Path.of("topologies");
        if (!Files.isDirectory(bundled)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(bundled)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** The project's own topologies and scenarios are the most realistic round-trip material. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bundledFiles")
    void bundledFilesSurvive(Path file) throws IOException, FormatException {
        if (new ObjectMapper().readTree(file.toFile()).has("steps")) {
            Scenario original = ScenarioReader.read(file);
            assertSameScenario(ScenarioReader.parse(ScenarioWriter.toJson(original), null, file.getParent()),
                    original);
        } else {
            Topology original = TopologyReader.read(file);
            assertSameTopology(TopologyReader.parse(TopologyWriter.toJson(original), null), original);
        }
    }
}
