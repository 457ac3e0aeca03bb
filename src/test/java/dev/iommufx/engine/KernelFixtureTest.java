package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iommufx.engine.trace.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every real Linux 6.1 record (fixtures/kernel-6.1, Debian 6.1.192 under QEMU q35 with emulated
 * VT-d) through the engine and compares, after each step, the errno, every device's driver, group and
 * driver_override, every group's members and type, the /dev/vfio nodes and the open fds.
 * The records are the oracle: where they and the engine differ, the engine is wrong.
 */
class KernelFixtureTest {

    static Stream<String> records() {
        List<String> out = new ArrayList<>();
        for (String machine : List.of("T1-rootports", "T2-pcibridge", "T3-multifunction", "T5-switch")) {
            for (String seq : List.of("claim", "release", "remove", "stub", "type")) {
                out.add("kernel-6.1/" + machine + "-" + seq + ".json");
            }
        }
        return out.stream();
    }

    /** Linux 6.12's answers to the same machines, for the newest profile (fixtures/kernel-6.12/README.md). */
    static Stream<String> newestRecords() {
        List<String> out = new ArrayList<>();
        for (String machine : List.of("T1-rootports", "T2-pcibridge", "T3-multifunction", "T5-switch")) {
            for (String seq : List.of("claim", "type")) {
                out.add("kernel-6.12/" + machine + "-" + seq + ".json");
            }
        }
        return out.stream();
    }

    /** Linux 7.2.13 on the same machines and every sequence (fixtures/kernel-7.2/README.md). */
    static Stream<String> linux72Records() {
        return records().map(r -> r.replace("kernel-6.1/", "kernel-7.2/"));
    }

    /** The newest profile answers as Linux 7.2 does too, on every sequence the 6.1 records have. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("linux72Records")
    void everyStepMatchesLinux72UnderTheNewestProfile(String resource) {
        assertThat(replayMismatches(resource, Profile.NEWEST)).as("differences from Linux 7.2").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyStepMatchesTheRealKernel(String resource) {
        assertThat(replayMismatches(resource, Profile.LINUX_6_1)).as("differences from the real kernel").isEmpty();
    }

    /** The newest profile answers as Linux 6.12 did, sysfs type writes included (ProfileRule.STORE_TYPE_WHEN_UNOWNED). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestRecords")
    void everyStepMatchesLinux612UnderTheNewestProfile(String resource) {
        assertThat(replayMismatches(resource, Profile.NEWEST)).as("differences from Linux 6.12").isEmpty();
    }

    /**
     * Every 6.12 record writes the type file somewhere, and only there do 6.1 and 6.12 answer differently
     * (fixtures/kernel-6.12/README.md): replayed under 6.1 rules each record differs, first at a type write
     * (later steps may differ in state because of it).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newestRecords")
    void each612RecordFirstDiffersFrom61AtATypeWrite(String resource) {
        List<String> under61 = replayMismatches(resource, Profile.LINUX_6_1);
        assertThat(under61).as("6.1 rules on a 6.12 record").isNotEmpty();
        assertThat(under61.get(0)).contains("(settype ");
    }

    private static List<String> replayMismatches(String resource, Profile profile) {
        FixtureRecord rec = FixtureRecord.load(resource);
        return replayMismatches(rec, Kernel.boot(rec.topology(), profile), resource);
    }

    /** Replays a record on a booted machine and lists every difference of answer or state. */
    static List<String> replayMismatches(FixtureRecord rec, Kernel k, String resource) {
        FixtureReplay replay = new FixtureReplay(rec, k);
        List<String> mismatches = new ArrayList<>();
        JsonNode previous = null;
        for (JsonNode step : rec.steps()) {
            String where = resource + " step " + step.get("step").asInt() + " (" + step.get("text").asText() + ")";
            OpResult r = replay.apply(step, previous);
            String expected = expectedResult(step);
            String actual = r == null ? "ok" : r.pending() ? "ok" : r.errno().label();
            // a shell command the recorder ran to look around the guest answers nothing the kernel decided
            boolean lookingAround = step.get("op").asText().equals("sh");
            if (!lookingAround && !expected.equals(actual)) {
                mismatches.add(where + ": kernel answered " + expected + ", engine " + actual
                        + (r == null ? "" : "\n" + String.join("\n", r.frames().stream().map(Frame::toString).toList())));
            }
            compareState(where, step.get("state"), k, mismatches);
            previous = step;
        }
        return mismatches;
    }

    /** The group numbers the kernel built at boot come out of pci_device_group() run in enumeration order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void derivedGroupsMatchTheKernel(String resource) {
        FixtureRecord rec = FixtureRecord.load(resource);
        Kernel derived = Kernel.boot(rec.topologyWithoutGroups());
        Kernel recorded = Kernel.boot(rec.topology());
        assertThat(groupMembers(derived)).isEqualTo(groupMembers(recorded));
    }

    private static String expectedResult(JsonNode step) {
        JsonNode result = step.get("result");
        return result.get("ok").asBoolean() ? "ok" : result.get("errno_name").asText();
    }

    static void compareState(String where, JsonNode state, Kernel k, List<String> out) {
        Map<String, String> kernel = new TreeMap<>();
        state.get("devices").fields().forEachRemaining(e -> kernel.put(e.getKey(), deviceLine(e.getValue())));
        Map<String, String> engine = new TreeMap<>();
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                String override = d.driverOverride();
                if (kernel.getOrDefault(d.id(), "").contains("(not read")) {
                    override = "(not read)";
                }
                engine.put(d.id(), "driver=" + (d.sysfsDriver() == null ? null : d.sysfsDriver().name())
                        + " group=" + (d.group() == null ? null : d.group().id()) + " override=" + override);
            }
        }
        if (!kernel.equals(engine)) {
            out.add(where + ": devices\n  kernel " + kernel + "\n  engine " + engine);
        }
        Map<String, String> kGroups = new TreeMap<>();
        state.get("groups").fields().forEachRemaining(e -> kGroups.put(e.getKey(),
                e.getValue().get("type").asText() + " " + e.getValue().get("devices")));
        Map<String, String> eGroups = new TreeMap<>();
        for (IommuGroup g : k.groups()) {
            List<String> members = new ArrayList<>(g.devices().stream().map(Device::id).sorted().toList());
            eGroups.put(String.valueOf(g.id()), g.sysfsType() + " " + members.toString().replace(" ", "")
                    .replace("[", "[\"").replace("]", "\"]").replace(",", "\",\""));
        }
        if (!kGroups.equals(eGroups)) {
            out.add(where + ": groups\n  kernel " + kGroups + "\n  engine " + eGroups);
        }
        TreeSet<String> kVfio = new TreeSet<>();
        state.get("dev_vfio").forEach(n -> kVfio.add(n.asText()));
        // /dev/vfio/vfio is there while the vfio module is loaded
        TreeSet<String> eVfio = new TreeSet<>(Boolean.TRUE.equals(k.modules().get("vfio")) ? List.of("vfio")
                : List.of());
        for (IommuGroup g : k.groups()) {
            if (g.vfioGroup() != null) {
                eVfio.add(String.valueOf(g.id()));
            }
        }
        if (!kVfio.equals(eVfio)) {
            out.add(where + ": /dev/vfio kernel " + kVfio + " engine " + eVfio);
        }
        TreeSet<String> kFds = new TreeSet<>();
        state.get("open_fds").fieldNames().forEachRemaining(kFds::add);
        if (!kFds.equals(new TreeSet<>(k.handles().keySet()))) {
            out.add(where + ": open fds kernel " + kFds + " engine " + k.handles().keySet());
        }
    }

    private static String deviceLine(JsonNode d) {
        JsonNode override = d.get("override");
        String o = override.isNull() ? null : override.asText();
        if (o != null && o.startsWith("(not read")) {
            o = "(not read)";
        }
        return "driver=" + (d.get("driver").isNull() ? null : d.get("driver").asText()) + " group="
                + (d.get("group").isNull() ? null : d.get("group").asInt()) + " override=" + o;
    }

    private static Map<Integer, List<String>> groupMembers(Kernel k) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (IommuGroup g : k.groups()) {
            out.put(g.id(), g.devices().stream().map(Device::id).sorted().toList());
        }
        return out;
    }
}
