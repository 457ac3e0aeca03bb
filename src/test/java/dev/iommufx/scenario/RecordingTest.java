package dev.iommufx.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.ScenarioReader;
import dev.iommufx.io.ScenarioWriter;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording keeps what the kernel answered; saved and reopened, it replays identically. */
class RecordingTest {

    @Test
    void aSavedRecordingReplaysIdentically(@TempDir Path dir) throws FormatException, IOException {
        Topology t = TopologyReader.read(Path.of("topologies/workstation.json"));
        Kernel k = Kernel.boot(t);
        Recording rec = new Recording("my session", t, "6.1");
        List<Step> done = List.of(
                Step.of(StepKind.MOVE, "device", "0000:01:00.0", "driver", "vfio-pci"),
                Step.of(StepKind.ADD_VM, "vm", "VM1"),
                Step.of(StepKind.GIVE_GROUP_TO_VM, "group", 8, "vm", "VM1"),
                Step.of(StepKind.MOVE, "device", "0000:01:00.1", "driver", "vfio-pci"),
                Step.of(StepKind.GIVE_GROUP_TO_VM, "group", 8, "vm", "VM1"),
                Step.of(StepKind.START_VM, "vm", "VM1"),
                Step.of(StepKind.MOVE, "device", "0000:01:00.1", "driver", "snd_hda_intel"));
        for (Step s : done) {
            rec.add(s, StepRunner.apply(k, s), k);
        }
        rec.setNote(2, "refused: the audio function is still on snd_hda_intel");
        assertThat(rec.steps().get(2).expect().result()).isEqualTo("EPERM");
        assertThat(rec.steps().get(4).expect().groups()).containsEntry(8, GroupState.BLOCKED);
        assertThat(rec.steps().get(6).expect().result()).isEqualTo("EBUSY");

        Path file = dir.resolve("session.json");
        ScenarioWriter.write(rec.toScenario(), file);
        Scenario reopened = ScenarioReader.read(file);
        assertThat(reopened.steps()).isEqualTo(rec.steps());
        List<StepOutcome> replay = ScenarioRunner.run(reopened, null);
        assertThat(replay).allSatisfy(o -> assertThat(o.verdict()).isEqualTo(StepOutcome.Verdict.MET));
    }

    @Test
    void stepsCanBeDeletedAndReordered() throws FormatException {
        Topology t = TopologyReader.read(Path.of("topologies/workstation.json"));
        Recording rec = new Recording("r", t, "6.1");
        Kernel k = Kernel.boot(t);
        for (String vm : List.of("A", "B", "C")) {
            Step s = Step.of(StepKind.ADD_VM, "vm", vm);
            rec.add(s, StepRunner.apply(k, s), k);
        }
        rec.move(2, 0);
        rec.delete(1);
        assertThat(rec.steps()).extracting(s -> s.string("vm")).containsExactly("C", "B");
    }
}
