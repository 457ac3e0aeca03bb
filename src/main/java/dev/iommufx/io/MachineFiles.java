package dev.iommufx.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens a file the user names: a scenario, or a topology (which becomes a scenario with no steps). */
public final class MachineFiles {
    private MachineFiles() {
    }

    public static Scenario load(Path file) throws FormatException {
        if (!Files.isRegularFile(file)) {
            throw new FormatException(file.toString(), 0, 0, "$", "no such file");
        }
        if (isScenario(file)) {
            return ScenarioReader.read(file);
        }
        Topology t = PciIds.system().name(TopologyReader.read(file));
        return new Scenario(t.name(), t.description(), Scenario.DEFAULT_KERNEL, t,
                file.toAbsolutePath().normalize().toString(), List.of());
    }

    /** A scenario has "steps" at its top level; anything unreadable goes to the topology reader to be explained. */
    public static boolean isScenario(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            return root != null && root.isObject() && root.has("steps");
        } catch (IOException e) {
            return false;
        }
    }
}
