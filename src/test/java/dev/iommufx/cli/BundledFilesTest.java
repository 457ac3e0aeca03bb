package dev.iommufx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioRunner;
import dev.iommufx.scenario.StepOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Everything bundled in topologies/ loads, replays with every expectation met, and agrees with the kernel. */
class BundledFilesTest {

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("topologies"))) {
            return files.filter(p -> p.toString().endsWith(".json")).filter(MachineFiles::isScenario).sorted().toList()
                    .stream();
        }
    }

    static Stream<Path> topologies() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("topologies"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyBundledScenarioMeetsEveryExpectation(Path file) throws FormatException {
        Scenario s = MachineFiles.load(file);
        List<StepOutcome> outcomes = ScenarioRunner.run(s, null);
        assertThat(outcomes).isNotEmpty();
        assertThat(outcomes).filteredOn(o -> o.verdict() == StepOutcome.Verdict.FAILED)
                .extracting(o -> "step " + o.index() + ": " + o.mismatches()).isEmpty();
        assertThat(outcomes).filteredOn(o -> o.verdict() == StepOutcome.Verdict.NONE).isEmpty();
    }

    /** The kernel's group numbers in each bundled topology are what pci_device_group() derives (§6). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void declaredGroupsAreTheDerivedOnes(Path file) throws FormatException {
        Topology declared = TopologyReader.read(file);
        Topology bare = new Topology(declared.name(), "", declared.defaultDomainType(),
                declared.devices().stream().map(d -> d.withGroup(null)).toList(), declared.drivers(), List.of());
        assertThat(members(Kernel.boot(bare))).isEqualTo(members(Kernel.boot(declared)));
    }

    /** t1..t5 boot into exactly the state the real kernel's records start from. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void oracleMachinesBootLikeTheirRecords(Path file) throws FormatException {
        Map<String, String> records = Map.of("t1-rootports.json", "T1-rootports", "t2-pcibridge.json", "T2-pcibridge",
                "t3-multifunction.json", "T3-multifunction", "t5-switch.json", "T5-switch");
        String record = records.get(file.getFileName().toString());
        if (record == null) {
            return;
        }
        Topology fromRecord = dev.iommufx.engine.FixtureAccess.topology("kernel-6.1/" + record + "-claim.json");
        assertThat(Snapshot.of(Kernel.boot(TopologyReader.read(file)))).isEqualTo(Snapshot.of(Kernel.boot(fromRecord)));
    }

    private static Map<Integer, List<String>> members(Kernel k) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (IommuGroup g : k.groups()) {
            out.put(g.id(), g.devices().stream().map(Device::id).sorted().toList());
        }
        return out;
    }
}
