package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays the real Linux 6.12 iommufd record (fixtures/kernel-6.12-iommufd/T3-multifunction.jsonl: two e1000e
 * functions A and B in one group, VFIO cdevs bound to iommufd contexts X and Y) under the newest profile, and
 * compares every answer and both drivers after each step. Opening /dev/iommu, allocating an IOAS and opening a
 * cdev change no ownership state, so they run nothing here; a bind of a cdev is {@code iommufd_bind}, the close
 * of a bound cdev {@code iommufd_unbind}.
 */
class IommufdFixtureTest {
    private static final Pattern MOVE = Pattern.compile("bind ([AB]) -> (\\S+) \\(driver_override.*");
    private static final Pattern CDEV_OPEN = Pattern.compile("open /dev/vfio/devices/vfio\\d \\(([AB]) cdev, fd (\\w+)\\)");
    private static final Pattern BIND = Pattern.compile("VFIO_DEVICE_BIND_IOMMUFD\\(([AB])(?:/(\\w+))?, ([XY])\\)");
    private static final Pattern CLOSE_FD = Pattern.compile("close\\((fd\\w+).*\\)");

    private final Map<String, String> bdf = new HashMap<>();
    /** cdev fd name -> device letter, and the fd each device is bound through. */
    private final Map<String, String> fdDevice = new HashMap<>();
    private final Map<String, String> boundFd = new HashMap<>();
    private Kernel k;

    @Test
    void everyAnswerMatchesLinux612() throws IOException {
        List<JsonNode> lines = lines();
        JsonNode info = lines.get(1);
        bdf.put("A", info.get("A").asText());
        bdf.put("B", info.get("B").asText());
        k = Kernel.boot(FixtureRecord.load("kernel-6.12/T3-multifunction-claim.json").topology(), Profile.NEWEST);
        assertThat(k.device(bdf.get("A")).group().id()).isEqualTo(info.get("group_A").asInt());

        List<String> mismatches = new ArrayList<>();
        for (JsonNode step : lines.stream().filter(n -> n.has("step")).toList()) {
            String op = step.get("op").asText();
            String answer = apply(op);
            String where = "step " + step.get("step").asInt() + " (" + op + ")";
            if (!answer.equals(step.get("errno").asText())) {
                mismatches.add(where + ": Linux 6.12 answered " + step.get("errno").asText() + ", engine " + answer);
            }
            for (String dev : List.of("A", "B")) {
                String expected = step.get("driver_" + dev).asText();
                Driver actual = k.device(bdf.get(dev)).sysfsDriver();
                String actualName = actual == null ? "none" : actual.name();
                if (!expected.equals(actualName)) {
                    mismatches.add(where + ": " + dev + " on " + expected + " in Linux, on " + actualName + " here");
                }
            }
        }
        assertThat(mismatches).as("differences from Linux 6.12").isEmpty();
        // the record ends with A on e1000e and B on vfio-pci, unclaimed: K(1), as the claim ended with the cdevs
        assertThat(GroupState.code(k.device(bdf.get("A")).group())).isEqualTo("K(1)");
    }

    /** Runs one recorded operation; returns the errno name the engine answered ("OK" for success). */
    private String apply(String op) {
        Matcher m;
        if ((m = MOVE.matcher(op)).matches()) {
            String dev = bdf.get(m.group(1));
            k.driverOverride(dev, m.group(2));
            if (k.device(dev).sysfsDriver() != null) {
                k.unbind(dev);
            }
            return label(k.bind(dev, m.group(2)));
        }
        if ((m = CDEV_OPEN.matcher(op)).matches()) {
            fdDevice.put(m.group(2), m.group(1));
            return "OK";
        }
        if ((m = BIND.matcher(op)).matches()) {
            String fd = m.group(2) != null ? m.group(2) : "fd" + m.group(1);
            OpResult r = k.iommufdBind(bdf.get(m.group(1)), m.group(3));
            if (r.errno() == Errno.OK) {
                boundFd.put(m.group(1), fd);
            }
            return label(r);
        }
        if ((m = CLOSE_FD.matcher(op)).matches()) {
            String dev = fdDevice.get(m.group(1));
            boolean bound = dev != null && Objects.equals(boundFd.get(dev), m.group(1));
            if (bound) {
                boundFd.remove(dev);
                return label(k.iommufdUnbind(bdf.get(dev)));
            }
            return "OK";
        }
        return switch (op) {
            case "unbind B from vfio-pci" -> label(k.unbindFrom(bdf.get("B"), "vfio-pci"));
            case "open /dev/vfio/vfio (legacy container)" -> label(k.vfioOpenContainer("C"));
            case "open /dev/vfio/3 (legacy group)" -> label(k.vfioOpenGroup(3, "G"));
            case "VFIO_GROUP_GET_STATUS" -> label(k.vfioGroupStatus("G"));
            case "VFIO_GROUP_SET_CONTAINER" -> label(k.vfioSetContainer("G", "C"));
            case "VFIO_SET_IOMMU(TYPE1v2)" -> label(k.vfioSetIommu("C", "type1v2"));
            case "close(legacy group fd (and container))" -> closeBoth();
            case "close(legacy container fd)" -> label(k.close("C"));
            case "VFIO_DEVICE_ATTACH_IOMMUFD_PT(A, ioas)" -> label(k.iommufdAttach(bdf.get("A"), "ioas"));
            case "open /dev/iommu (ctx X)", "open /dev/iommu (ctx Y)", "IOMMU_IOAS_ALLOC(X)", "close(iommufd X)",
                    "close(iommufd Y)" -> "OK";
            default -> throw new AssertionError("an operation this test does not know: " + op);
        };
    }

    private String closeBoth() {
        String group = label(k.close("G"));
        String container = label(k.close("C"));
        return group.equals("OK") ? container : group;
    }

    private static String label(OpResult r) {
        return r.errno() == Errno.OK ? "OK" : r.errno().label();
    }

    /** The meta line, the info line, then one line per step. */
    private static List<JsonNode> lines() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                IommufdFixtureTest.class.getResourceAsStream("/fixtures/kernel-6.12-iommufd/T3-multifunction.jsonl")),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
        }
        return out;
    }
}
