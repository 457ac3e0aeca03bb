package dev.iommufx.io;

import dev.iommufx.engine.Profile;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a scenario file ({@code iommufx-scenario/1}, docs/formats.md): a topology (a path relative to the
 * scenario file, or inline), the kernel version and the steps. Strict like {@link TopologyReader}; an error
 * inside a referenced topology file names that file.
 */
public final class ScenarioReader {
    /** The value of {@code "format"}. */
    public static final String FORMAT = "iommufx-scenario/1";
    /** The kernel versions whose rules the engine knows. */
    public static final List<String> SUPPORTED_KERNELS = Profile.keys();
    /** {@link Scenario#topologySource()} of a topology written inside the scenario. */
    public static final String INLINE_TOPOLOGY = "inline";

    static final List<String> SCENARIO_KEYS = List.of("format", "title", "description", "kernel", "topology", "boot",
            "steps");

    private static final Choice<String> KERNEL = Choice.ofNames("kernel version", SUPPORTED_KERNELS);

    private ScenarioReader() {
    }

    /** Reads a scenario file; a referenced topology is looked for next to it. */
    public static Scenario read(Path file) throws FormatException {
        return fromNode(JsonTree.read(file), MachineFiles.directoryOf(file));
    }

    /**
     * Reads scenario JSON held in memory.
     *
     * @param fileName the name used in errors, or null for {@value FormatException#INLINE}
     * @param baseDir  the directory a {@code topology} path is relative to; null for the working directory
     */
    public static Scenario parse(String json, String fileName, Path baseDir) throws FormatException {
        return fromNode(JsonTree.parse(json, fileName), baseDir == null ? Path.of("") : baseDir);
    }

    static Scenario fromNode(Node root, Path baseDir) throws FormatException {
        Fields top = Fields.of(root, "a scenario", SCENARIO_KEYS);
        TopologyReader.checkFormat(top, FORMAT);
        String title = top.requiredString("title");
        String description = top.optionalString("description");
        String kernel = top.choice("kernel", KERNEL, Scenario.DEFAULT_KERNEL);
        Node topologyNode = top.require("topology");
        Topology topology = topology(topologyNode, baseDir);
        String source = topologyNode.kind() == Node.Kind.STRING ? topologyNode.string() : INLINE_TOPOLOGY;
        ScenarioBootReader.Read boot = top.has("boot") ? ScenarioBootReader.read(top.get("boot")) : null;
        List<Step> steps = StepReader.readAll(top.require("steps"), topology, kernel);
        return boot == null ? new Scenario(title, description, kernel, topology, source, steps)
                : new Scenario(title, description, kernel, topology, source, steps, boot.files(), boot.config());
    }

    private static Topology topology(Node node, Path baseDir) throws FormatException {
        if (node.kind() == Node.Kind.OBJECT) {
            return TopologyReader.fromNode(node);
        }
        if (node.kind() != Node.Kind.STRING) {
            throw node.error("expected a topology file's path or a topology object, found " + node.describe());
        }
        return ReferencedTopology.read(node, baseDir);
    }
}
