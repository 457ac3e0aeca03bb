package dev.iommufx.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The player answers exactly what a replay from boot answers, at every position, in both directions. */
class ScenarioPlayerTest {

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("topologies"))) {
            return files.filter(p -> p.toString().endsWith(".json")).filter(MachineFiles::isScenario).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void playerAndReplayAgreeOnEveryBundledScenario(Path file) throws FormatException {
        Scenario s = MachineFiles.load(file);
        List<Snapshot> replayed = new ArrayList<>();
        List<StepOutcome> replay = ScenarioRunner.run(s, (o, k) -> replayed.add(Snapshot.of(k)));
        ScenarioPlayer player = new ScenarioPlayer(s);
        Snapshot boot = Snapshot.of(player.kernel());
        for (int i = 0; i < s.steps().size(); i++) {
            StepOutcome o = player.forward();
            assertThat(o.result().resultLabel()).isEqualTo(replay.get(i).result().resultLabel());
            assertThat(o.verdict()).isEqualTo(replay.get(i).verdict());
            assertThat(Snapshot.of(player.kernel())).as("after step %d", i + 1).isEqualTo(replayed.get(i));
        }
        // all the way back, then forward again through the history
        for (int i = s.steps().size() - 1; i >= 0; i--) {
            player.back();
            assertThat(Snapshot.of(player.kernel())).isEqualTo(i == 0 ? boot : replayed.get(i - 1));
        }
        player.jumpTo(s.steps().size());
        assertThat(Snapshot.of(player.kernel())).isEqualTo(replayed.get(replayed.size() - 1));
    }

    @Test
    void aTenThousandStepScenarioStepsBackFromAnywhere() throws FormatException {
        Topology t = TopologyReader.read(Path.of("topologies/workstation.json"));
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            steps.add(Step.of(StepKind.UNBIND, "device", "0000:01:00.1"));
            steps.add(Step.of(StepKind.MOVE, "device", "0000:01:00.1", "driver", "vfio-pci"));
            steps.add(Step.of(StepKind.VFIO_OPEN_CONTAINER, "handle", "C" + i));
            steps.add(Step.of(StepKind.MOVE, "device", "0000:01:00.1", "driver", "snd_hda_intel"));
        }
        Scenario s = new Scenario("long", "", "6.1", t, "inline", steps);
        ScenarioPlayer player = new ScenarioPlayer(s);
        Snapshot boot = Snapshot.of(player.kernel());
        player.jumpTo(6_001);
        Snapshot at6001 = Snapshot.of(player.kernel());
        player.jumpTo(10_000);
        player.back();
        player.jumpTo(6_001);
        assertThat(Snapshot.of(player.kernel())).isEqualTo(at6001);
        player.jumpTo(0);
        assertThat(Snapshot.of(player.kernel())).isEqualTo(boot);
        Kernel fresh = Kernel.boot(t);
        for (int i = 0; i < 6_001; i++) {
            StepRunner.apply(fresh, steps.get(i));
        }
        assertThat(Snapshot.of(fresh)).isEqualTo(at6001);
    }
}
