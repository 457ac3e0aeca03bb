package dev.iommufx.io;

import dev.iommufx.engine.GroupState;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Expectation;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scenario's steps against the vocabulary of {@link StepKind}: the operation, its typed arguments,
 * and the expectation. Device and driver names are checked against the scenario's topology.
 */
final class StepReader {
    /** Keys every step may have besides its arguments. */
    static final List<String> COMMON_KEYS = List.of("do", "note", "expect", "expectUnder");
    static final List<String> EXPECT_KEYS = List.of("result", "drivers", "groups", "warnings", "flags");

    /** Addresses and lengths read better in hex, so these integers may also be "0x..." strings. */
    static final Set<String> HEX_STRING_ARGS = Set.of("iova", "size");
    private static final Pattern HEX_LONG = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");
    private static final Pattern GROUP_NUMBER = Pattern.compile("0|[1-9][0-9]{0,9}");

    private final Topology topology;
    /** The scenario's own kernel profile: its expectations go in "expect", not in "expectUnder". */
    private final String kernel;

    private StepReader(Topology topology, String kernel) {
        this.topology = topology;
        this.kernel = kernel;
    }

    static List<Step> readAll(Node steps, Topology topology, String kernel) throws FormatException {
        StepReader reader = new StepReader(topology, kernel);
        List<Step> out = new ArrayList<>();
        List<Node> items = steps.array("the steps");
        Parsed.checkCount(items, Limits.STEPS, "steps");
        for (Node step : items) {
            out.add(reader.step(step));
        }
        return out;
    }

    /** The keys a step of this kind may have: "do", its arguments, "note", "expect". */
    static List<String> keysOf(StepKind kind) {
        List<String> keys = new ArrayList<>(List.of("do"));
        kind.args().forEach(arg -> keys.add(arg.name()));
        keys.addAll(List.of("note", "expect", "expectUnder"));
        return keys;
    }

    private Step step(Node node) throws FormatException {
        node.requireObject("a step");
        StepKind kind = kind(node);
        Fields f = Fields.of(node, "a \"" + kind.key() + "\" step", keysOf(kind));
        Map<String, Object> args = new LinkedHashMap<>();
        for (StepKind.Arg arg : kind.args()) {
            if (f.has(arg.name()) || arg.required()) {
                args.put(arg.name(), argument(f.require(arg.name()), arg));
            }
        }
        checkNames(kind, f, args);
        Expectation expect = f.has("expect") ? expectation(f.get("expect"), kind) : null;
        Map<String, Expectation> under = f.has("expectUnder") ? expectUnder(f.get("expectUnder"), kind) : null;
        return new Step(kind, args, f.optionalString("note"), expect, under);
    }

    private static StepKind kind(Node step) throws FormatException {
        Node name = step.field("do");
        if (name == null) {
            throw step.error("missing key \"do\" (required in a step: the operation, one of: "
                    + String.join(", ", StepKind.keys()) + ")");
        }
        StepKind kind = StepKind.fromKey(name.string());
        if (kind == null) {
            throw name.error("unknown step " + name.describe() + " (expected one of: "
                    + String.join(", ", StepKind.keys()) + ")");
        }
        return kind;
    }

    /** A String, a Long, or null for a NULLABLE_STRING written as null. */
    private static Object argument(Node value, StepKind.Arg arg) throws FormatException {
        return switch (arg.type()) {
            case STRING, OPTIONAL_STRING -> value.string();
            case NULLABLE_STRING -> value.isNull() ? null : value.string();
            case INTEGER -> HEX_STRING_ARGS.contains(arg.name()) ? integerOrHex(value) : (long) value.nonNegativeInt();
        };
    }

    private static long integerOrHex(Node value) throws FormatException {
        if (value.kind() == Node.Kind.STRING && HEX_LONG.matcher(value.string()).matches()) {
            return Long.parseUnsignedLong(value.string().substring(2), 16);
        }
        if (value.kind() != Node.Kind.INTEGER) {
            throw value.error("expected a non-negative integer or a \"0x...\" string of up to 16 hex digits, found "
                    + value.describe());
        }
        return value.nonNegative(Long.MAX_VALUE);
    }

    /** Devices and the drivers of bind/unbind must exist: a typo would otherwise only show up as ENODEV. */
    private void checkNames(StepKind kind, Fields f, Map<String, Object> args) throws FormatException {
        DeviceSpec device = null;
        if (args.get("device") instanceof String id) {
            device = knownDevice(f.get("device"), id);
        }
        boolean namesADriver = kind == StepKind.BIND || kind == StepKind.UNBIND || kind == StepKind.MOVE
                || kind == StepKind.BIND_PHASE;
        if (namesADriver && args.get("driver") instanceof String driver) {
            knownDriver(f.get("driver"), device, driver);
        }
        if (kind == StepKind.VFIO_SET_IOMMU) {
            Vocabulary.VFIO_IOMMU_TYPE.read(f.get("type"));
        }
        if (kind == StepKind.BIND_PHASE) {
            Vocabulary.BIND_PHASE.read(f.get("phase"));
            if (!args.containsKey("driver") && "set_driver".equals(args.get("phase"))) {
                throw f.node().error("a \"set_driver\" phase needs \"driver\": the driver whose pointer is set");
            }
        }
        if (kind == StepKind.UNBIND_PHASE) {
            Vocabulary.UNBIND_PHASE.read(f.get("phase"));
        }
    }

    private DeviceSpec knownDevice(Node at, String id) throws FormatException {
        DeviceSpec device = topology.deviceOrVirtfn(id); // a VF that sriov_numvfs enables counts too
        if (device == null) {
            throw at.error("unknown device " + Node.quote(id) + " (expected the id of a device of the topology)");
        }
        return device;
    }

    private void knownDriver(Node at, DeviceSpec device, String driver) throws FormatException {
        if (topology.driver(device.bus(), driver) != null) {
            return;
        }
        String elsewhere = topology.drivers().stream().filter(d -> d.name().equals(driver))
                .map(d -> " is a " + d.bus().sysfsName() + " driver, but " + device.id() + " is on bus "
                        + device.bus().sysfsName())
                .findFirst().orElse(null);
        String problem = elsewhere == null ? "unknown driver " + Node.quote(driver) : "driver " + Node.quote(driver)
                + elsewhere;
        throw at.error(problem + " (expected one of the topology's " + device.bus().sysfsName() + " drivers: "
                + String.join(", ", driverNames(device)) + ")");
    }

    /** The device's bus's drivers for a message: the first 20, then how many more. */
    private List<String> driverNames(DeviceSpec device) {
        List<String> all = topology.drivers().stream().filter(d -> d.bus() == device.bus()).map(d -> d.name()).toList();
        if (all.size() <= 20) {
            return all;
        }
        List<String> shown = new ArrayList<>(all.subList(0, 20));
        shown.add("and " + (all.size() - 20) + " more");
        return shown;
    }

    private Expectation expectation(Node node, StepKind kind) throws FormatException {
        Fields f = Fields.of(node, "an expectation", EXPECT_KEYS);
        String result = f.choice("result", Vocabulary.RESULT, null);
        Map<String, String> drivers = f.has("drivers") ? expectedDrivers(f.get("drivers")) : null;
        Map<Integer, GroupState> groups = f.has("groups") ? expectedGroups(f.get("groups")) : null;
        Integer warnings = f.has("warnings") ? f.get("warnings").nonNegativeInt() : null;
        List<String> flags = f.has("flags") ? flags(f, kind) : null;
        return new Expectation(result, drivers, groups, warnings, flags);
    }

    /** Expectations for other kernel profiles, keyed by profile name. */
    private Map<String, Expectation> expectUnder(Node node, StepKind kind) throws FormatException {
        node.requireObject("kernel profile -> expectation");
        Map<String, Expectation> out = new LinkedHashMap<>();
        for (String other : node.keys()) {
            if (!ScenarioReader.SUPPORTED_KERNELS.contains(other)) {
                throw node.keyError(other, "unknown kernel profile " + Node.quote(other) + " (expected one of: "
                        + String.join(", ", ScenarioReader.SUPPORTED_KERNELS) + ")");
            }
            if (other.equals(kernel)) {
                throw node.keyError(other, "the scenario's own kernel " + Node.quote(other) + " takes its expectation "
                        + "from \"expect\"; \"expectUnder\" is for the other profiles");
            }
            out.put(other, expectation(node.field(other), kind));
        }
        return out;
    }

    private Map<String, String> expectedDrivers(Node node) throws FormatException {
        node.requireObject("device id -> driver name or null");
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : node.keys()) {
            DeviceSpec device = topology.deviceOrVirtfn(id);
            if (device == null) {
                throw node.keyError(id, "unknown device " + Node.quote(id)
                        + " (expected the id of a device of the topology)");
            }
            Node value = node.field(id);
            String driver = value.isNull() ? null : value.string();
            if (driver != null) {
                knownDriver(value, device, driver);
            }
            out.put(id, driver);
        }
        return out;
    }

    private static Map<Integer, GroupState> expectedGroups(Node node) throws FormatException {
        node.requireObject("group number -> group state");
        Map<Integer, GroupState> out = new LinkedHashMap<>();
        for (String key : node.keys()) {
            if (!GROUP_NUMBER.matcher(key).matches() || Long.parseLong(key) > Limits.GROUP_NUMBER) {
                throw node.keyError(key, "expected a group number such as \"3\" (0 to " + Limits.GROUP_NUMBER
                        + ") as the key, found " + Node.quote(key));
            }
            out.put(Integer.parseInt(key), Vocabulary.GROUP_STATE.read(node.field(key)));
        }
        return out;
    }

    private static List<String> flags(Fields f, StepKind kind) throws FormatException {
        if (kind != StepKind.VFIO_GROUP_STATUS) {
            throw f.node().keyError("flags", "\"flags\" can only be expected of a vfio_group_status step");
        }
        List<String> out = new ArrayList<>();
        for (Node flag : f.get("flags").array("of VFIO group flags")) {
            String name = Vocabulary.VFIO_FLAG.read(flag);
            if (out.contains(name)) {
                throw flag.error("flag \"" + name + "\" is listed twice");
            }
            out.add(name);
        }
        return out;
    }
}
