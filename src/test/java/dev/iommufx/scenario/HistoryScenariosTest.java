package dev.iommufx.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Profile;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.ScenarioReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The design-history scenarios (topologies/scenarios/history) are meant to be played under each kernel profile:
 * their steps carry an expectation per profile, and every one of them must hold.
 */
class HistoryScenariosTest {
    private static final Path DIR = Path.of("topologies/scenarios/history");

    static Stream<Arguments> scenarioUnderEachProfile() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (Profile p : Profile.values()) {
                    out.add(Arguments.of(f.getFileName().toString(), p));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("scenarioUnderEachProfile")
    void everyExpectationHoldsUnderEveryProfile(String file, Profile profile) throws FormatException {
        Scenario s = ScenarioReader.read(DIR.resolve(file));
        List<StepOutcome> outcomes = ScenarioRunner.run(s, profile, null);
        assertThat(outcomes).filteredOn(o -> o.verdict() == StepOutcome.Verdict.FAILED)
                .extracting(o -> "step " + o.index() + ": " + o.mismatches()).isEmpty();
        assertThat(outcomes).filteredOn(o -> o.verdict() == StepOutcome.Verdict.MET).isNotEmpty();
    }

    @Test
    void theV7WarnAppearsOnUnbindOnlyUnderV7() throws FormatException {
        // the acceptance: pick a profile, open scenario 1, watch the WARN appear (v7) and disappear (6.1)
        Scenario s = ScenarioReader.read(DIR.resolve("01-eric-auger-v7-warn.json"));
        assertThat(s.profile()).isEqualTo(Profile.V7_SERIES);
        for (Profile p : Profile.values()) {
            StepOutcome unbind = ScenarioRunner.run(s, p, null).get(1);
            assertThat(unbind.step().kind()).isEqualTo(StepKind.UNBIND);
            assertThat(unbind.result().warnings()).as(p.key()).hasSize(p == Profile.V7_SERIES ? 1 : 0);
        }
    }

    @Test
    void robinsInterleavingsEndConsistentWithTheExactCount() throws FormatException {
        // §7d: between the two cleanups of case 4.a.i the merged design still counts B (K(1)); both end U0
        Scenario s = ScenarioReader.read(DIR.resolve("04-robin-murphy-races.json"));
        List<String> codes = new ArrayList<>();
        ScenarioRunner.run(s, (o, k) -> codes.add(dev.iommufx.engine.GroupState.code(k.group(3))));
        int last = codes.size() - 1;
        assertThat(codes.get(last)).isEqualTo("U0");
        assertThat(codes.subList(last - 3, last + 1)).containsExactly("K(1)", "U0", "U0", "U0");
    }
}
