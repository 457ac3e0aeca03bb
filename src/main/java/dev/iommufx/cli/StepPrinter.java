package dev.iommufx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.engine.Device;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.scenario.StepOutcome;
import java.io.PrintWriter;

/** How {@code replay} prints a step: as text for people, or as one JSON object per line for programs. */
final class StepPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;

    StepPrinter(PrintWriter out) {
        this.out = out;
    }

    void printText(StepOutcome o, Kernel k) {
        out.println();
        out.printf("step %d  %s  -> %s%s%n", o.index(), o.step().describe(), o.result().resultLabel(),
                verdictText(o));
        if (o.step().note() != null) {
            out.println("  note: " + o.step().note());
        }
        for (Frame f : o.result().frames()) {
            out.println("    " + f);
        }
        for (String w : o.result().warnings()) {
            out.println("  " + w);
        }
        for (String l : o.result().log()) {
            out.println("  dmesg: " + l);
        }
        if (o.result().value() != null) {
            out.println("  value: " + o.result().value());
        }
        for (Integer id : o.result().changedGroups()) {
            IommuGroup g = k.group(id);
            out.println(g == null ? "  group " + id + ": released"
                    : String.format("  group %d: %s (%s, owner_cnt %d%s, on %s)", id, g.state(), GroupState.code(g),
                    g.ownerCount(), g.owner() == null ? "" : ", owner " + g.owner(),
                    g.domainLabel()));
        }
        for (String m : o.mismatches()) {
            out.println("  FAILED: " + m);
        }
    }

    private static String verdictText(StepOutcome o) {
        return switch (o.verdict()) {
            case MET -> "  [as expected]";
            case FAILED -> "  [EXPECTATION FAILED]";
            case NONE -> "";
        };
    }

    void printJson(StepOutcome o, Kernel k) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", o.index());
        line.put("do", o.step().kind().key());
        ObjectNode args = line.putObject("args");
        o.step().args().forEach((name, v) -> args.putPOJO(name, v));
        line.put("result", o.result().resultLabel());
        ArrayNode path = line.putArray("path");
        for (Frame f : o.result().frames()) {
            path.addObject().put("depth", f.depth()).put("function", f.function()).put("outcome", f.outcome())
                    .put("reason", f.reason());
        }
        ArrayNode warnings = line.putArray("warnings");
        o.result().warnings().forEach(warnings::add);
        if (o.result().value() != null) {
            line.putPOJO("value", o.result().value());
        }
        ObjectNode drivers = line.putObject("drivers");
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                drivers.put(d.id(), d.sysfsDriver() == null ? null : d.sysfsDriver().name());
            }
        }
        ObjectNode groups = line.putObject("groups");
        for (IommuGroup g : k.groups()) {
            groups.putObject(String.valueOf(g.id())).put("state", g.state().name()).put("ownerCount", g.ownerCount())
                    .put("owner", g.owner()).put("domain", g.domain() == null ? null : g.domain().label());
        }
        line.put("expect", o.verdict().name().toLowerCase());
        if (!o.mismatches().isEmpty()) {
            ArrayNode m = line.putArray("mismatches");
            o.mismatches().forEach(m::add);
        }
        out.println(line);
    }
}
