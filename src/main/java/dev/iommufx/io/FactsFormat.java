package dev.iommufx.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.MachineFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A topology's optional {@code "facts"} (docs/formats.md, "Facts"): what the machine's source says beyond the
 * machine, kept so that the readiness checks on a saved machine say what they said on its source. Read strictly,
 * like the rest of the topology; written with defaults left out.
 */
final class FactsFormat {
    static final List<String> FACTS_KEYS = List.of("cmdline", "kernel", "iommuGroups", "iommuUnits", "kernelLog",
            "moduleParameters", "groupTypes", "devices");
    static final List<String> DEVICE_KEYS = List.of("reset", "resetFrom", "resettable", "bootVga", "enabledVfs");

    /** A reset method as sysfs names it ({@code flr}, {@code device_specific}). */
    private static final Pattern RESET_METHOD = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** {@code module.parameter}, with the module's and the parameter's own characters. */
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]{1,64}");

    private FactsFormat() {
    }

    /** @param deviceIds the topology's device ids: facts may be kept only about them */
    static MachineFacts read(Node node, Set<String> deviceIds) throws FormatException {
        if (node == null || node.isNull()) {
            return MachineFacts.NONE;
        }
        Fields f = Fields.of(node, "the facts", FACTS_KEYS);
        return new MachineFacts(f.nullableString("cmdline"), f.nullableString("kernel"), f.optionalBool("iommuGroups"),
                strings(f.get("iommuUnits"), "of IOMMU unit names", Limits.GROUPS),
                strings(f.get("kernelLog"), "of kernel log lines", Limits.FACT_LOG_LINES),
                parameters(f.get("moduleParameters")),
                strings(f.get("groupTypes"), "of group types", Limits.GROUPS),
                devices(f.get("devices"), deviceIds));
    }

    private static List<String> strings(Node array, String what, int limit) throws FormatException {
        if (array == null || array.isNull()) {
            return null;
        }
        List<Node> items = array.array(what);
        if (items.size() > limit) {
            throw array.error("more than " + Limits.count(limit) + " entries (the limit)");
        }
        List<String> out = new ArrayList<>();
        for (Node item : items) {
            out.add(item.string());
        }
        return out;
    }

    private static Map<String, String> parameters(Node object) throws FormatException {
        Map<String, String> out = new LinkedHashMap<>();
        if (object == null) {
            return out;
        }
        object.requireObject("module parameters");
        if (object.keys().size() > Limits.FACT_PARAMETERS) {
            throw object.error("more than " + Limits.count(Limits.FACT_PARAMETERS) + " module parameters (the limit)");
        }
        for (String key : object.keys()) {
            if (!PARAMETER.matcher(key).matches()) {
                throw object.keyError(key, "expected \"module.parameter\" (such as \"vfio_pci.disable_vga\"), found "
                        + Node.quote(key));
            }
            out.put(key, object.field(key).string());
        }
        return out;
    }

    private static Map<String, DeviceFacts> devices(Node object, Set<String> deviceIds) throws FormatException {
        Map<String, DeviceFacts> out = new LinkedHashMap<>();
        if (object == null) {
            return out;
        }
        object.requireObject("facts by device id");
        for (String id : object.keys()) {
            if (!deviceIds.contains(id)) {
                throw object.keyError(id, "facts about unknown device " + Node.quote(id)
                        + " (expected the id of a device in this file)");
            }
            out.put(id, device(object.field(id)));
        }
        return out;
    }

    private static DeviceFacts device(Node node) throws FormatException {
        Fields f = Fields.of(node, "a device's facts", DEVICE_KEYS);
        List<String> reset = null;
        Node methods = f.get("reset");
        if (methods != null && !methods.isNull()) {
            reset = new ArrayList<>();
            for (Node m : methods.array("of reset methods")) {
                if (m.kind() != Node.Kind.STRING || !RESET_METHOD.matcher(m.string()).matches()) {
                    throw m.error("expected a reset method such as \"flr\" or \"bus\", found " + m.describe());
                }
                reset.add(m.string());
            }
        }
        Node from = f.get("resetFrom");
        DeviceFacts.ResetSource source = null;
        if (from != null && !from.isNull()) {
            source = DeviceFacts.ResetSource.fromKey(from.string());
            if (source == null) {
                throw from.error("expected \"reset_method\", \"config\" or \"reset file\", found " + from.describe());
            }
        }
        Integer vfs = f.nullableInt("enabledVfs");
        if (vfs != null && vfs > 0xffff) {
            throw f.get("enabledVfs").error("expected an integer from 0 to 65535, found " + vfs);
        }
        return new DeviceFacts(reset, source, f.optionalBool("resettable"), f.optionalBool("bootVga"), vfs);
    }

    /** The facts as a JSON object, or null when there are none (the key is then left out). */
    static ObjectNode toNode(MachineFacts facts) {
        if (facts.isEmpty()) {
            return null;
        }
        ObjectNode out = JsonOutput.object();
        putIfSet(out, "cmdline", facts.cmdline());
        putIfSet(out, "kernel", facts.kernel());
        if (facts.iommuGroups() != null) {
            out.put("iommuGroups", facts.iommuGroups());
        }
        putStrings(out, "iommuUnits", facts.iommuUnits());
        putStrings(out, "kernelLog", facts.kernelLog());
        if (!facts.moduleParameters().isEmpty()) {
            ObjectNode params = out.putObject("moduleParameters");
            facts.moduleParameters().forEach(params::put);
        }
        putStrings(out, "groupTypes", facts.groupTypes());
        if (!facts.devices().isEmpty()) {
            ObjectNode devices = out.putObject("devices");
            facts.devices().forEach((id, d) -> devices.set(id, device(d)));
        }
        return out;
    }

    private static ObjectNode device(DeviceFacts d) {
        ObjectNode out = JsonOutput.object();
        putStrings(out, "reset", d.resetMethods());
        if (d.resetFrom() != null) {
            out.put("resetFrom", d.resetFrom().key());
        }
        if (d.resetMethods() == null && d.resettable() != null) {
            out.put("resettable", d.resettable());
        }
        if (d.bootVga() != null) {
            out.put("bootVga", d.bootVga());
        }
        if (d.enabledVfs() != null) {
            out.put("enabledVfs", d.enabledVfs());
        }
        return out;
    }

    private static void putIfSet(ObjectNode out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static void putStrings(ObjectNode out, String key, List<String> values) {
        if (values != null) {
            ArrayNode array = out.putArray(key);
            values.forEach(array::add);
        }
    }
}
