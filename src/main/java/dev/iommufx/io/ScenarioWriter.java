package dev.iommufx.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.scenario.Expectation;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * Writes a scenario in the {@code iommufx-scenario/1} format that {@link ScenarioReader} reads back to an
 * equal scenario. A topology that came from a file is written as that file's path (as it was given,
 * relative to the scenario's directory, so save the scenario where it was read from); otherwise inline.
 */
public final class ScenarioWriter {
    private ScenarioWriter() {
    }

    /** The file's text, pretty-printed and ending with a newline. */
    public static String toJson(Scenario scenario) {
        return JsonOutput.pretty(toNode(scenario));
    }

    /** Saves atomically (see {@link AtomicFiles}). */
    public static void write(Scenario scenario, Path target) throws IOException {
        AtomicFiles.write(target, toJson(scenario).getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode toNode(Scenario scenario) {
        ObjectNode out = JsonOutput.object();
        out.put("format", ScenarioReader.FORMAT);
        out.put("title", scenario.title());
        if (scenario.description() != null) {
            out.put("description", scenario.description());
        }
        // always written: which kernel's rules the expectations come from matters to the reader
        out.put("kernel", scenario.kernel());
        String source = scenario.topologySource();
        if (source == null || source.equals(ScenarioReader.INLINE_TOPOLOGY)) {
            out.set("topology", TopologyWriter.toNode(scenario.topology()));
        } else {
            out.put("topology", source);
        }
        if (!scenario.bootFiles().isEmpty()) {
            ObjectNode boot = out.putObject("boot");
            scenario.bootFiles().forEach(boot::put);
        }
        ArrayNode steps = out.putArray("steps");
        scenario.steps().forEach(step -> steps.add(step(step)));
        return out;
    }

    private static ObjectNode step(Step step) {
        ObjectNode out = JsonOutput.object();
        out.put("do", step.kind().key());
        for (StepKind.Arg arg : step.kind().args()) {
            if (step.args().containsKey(arg.name())) {
                putArgument(out, arg.name(), step.args().get(arg.name()));
            }
        }
        if (step.note() != null) {
            out.put("note", step.note());
        }
        if (step.expect() != null) {
            out.set("expect", expectation(step.expect()));
        }
        if (!step.expectUnder().isEmpty()) {
            ObjectNode under = out.putObject("expectUnder");
            step.expectUnder().forEach((kernel, e) -> under.set(kernel, expectation(e)));
        }
        return out;
    }

    /** Addresses and sizes in hex, as people write them; unsigned so that values above 2^63 survive. */
    private static void putArgument(ObjectNode out, String name, Object value) {
        if (value == null) {
            out.putNull(name);
        } else if (value instanceof Long number && StepReader.HEX_STRING_ARGS.contains(name)) {
            out.put(name, "0x" + Long.toHexString(number));
        } else if (value instanceof Long number) {
            out.put(name, number);
        } else {
            out.put(name, value.toString());
        }
    }

    private static ObjectNode expectation(Expectation e) {
        ObjectNode out = JsonOutput.object();
        if (e.result() != null) {
            out.put("result", e.result());
        }
        if (!e.drivers().isEmpty()) {
            ObjectNode drivers = out.putObject("drivers");
            e.drivers().forEach(drivers::put);
        }
        if (!e.groups().isEmpty()) {
            ObjectNode groups = out.putObject("groups");
            new TreeMap<>(e.groups()).forEach((id, state) -> groups.put(String.valueOf(id), state.name()));
        }
        if (e.warnings() != null) {
            out.put("warnings", e.warnings());
        }
        if (e.flags() != null) {
            e.flags().forEach(out.putArray("flags")::add);
        }
        return out;
    }
}
