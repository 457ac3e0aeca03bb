package dev.iommufx.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.util.List;

/**
 * Fuzz test of the exported script (docs/random-testing.md, "Fuzzing"): a topology file from a stranger
 * names its devices, drivers and machine as it likes, and every such foreign string must be inert in the
 * script: it may appear only inside a single-quoted shell word or in a comment. Each foreign string is
 * wrapped in a canary ({@value #CANARY}) that the script's own text never holds; a canary found anywhere
 * else (outside quotes, in double quotes, after a newline that broke out of a comment) is a finding.
 */
class ShellScriptExportFuzzTest {
    static final String CANARY = "ZQ";
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10m")
    void foreignStringsAreInert(FuzzedDataProvider data) throws Exception {
        String gpuName = foreign(data);
        String gpuDriver = foreign(data);
        String audioName = foreign(data);
        String audioDriver = foreign(data);
        String machine = foreign(data);
        String vm = foreign(data);
        Topology t;
        try {
            t = TopologyReader.parse(topology(machine, gpuName, gpuDriver, audioName, audioDriver), "fuzz.json");
        } catch (FormatException refused) {
            return; // the reader refuses it: nothing reaches the script
        }
        Plan plan = PassthroughPlanner.plan(Kernel.boot(t), List.of(Machines.GPU), vm);
        String outside = outsideQuotesAndComments(ShellScriptExport.render(plan));
        assertThat(outside).as("script text outside single quotes and comments").doesNotContain(CANARY);
    }

    private static String foreign(FuzzedDataProvider data) {
        return CANARY + data.consumeString(40) + CANARY;
    }

    /** The GPU machine of {@link Machines#gpuMachine}, as the file a stranger would send. */
    private static String topology(String name, String gpuName, String gpuDriver, String audioName,
                                   String audioDriver) throws Exception {
        ObjectNode root = JSON.createObjectNode().put("name", name);
        ArrayNode devices = root.putArray("devices");
        devices.addObject().put("id", "0000:00:01.0").put("class", "060400").put("pcieType", "root_port")
                .put("driver", "pcieport").put("group", 1);
        devices.addObject().put("id", Machines.GPU).put("parent", "0000:00:01.0").put("vendor", "10de")
                .put("device", "2786").put("class", "030000").put("multifunction", true).put("pcieType", "endpoint")
                .put("name", gpuName).put("driver", gpuDriver).put("group", 2);
        devices.addObject().put("id", Machines.GPU_AUDIO).put("parent", "0000:00:01.0").put("vendor", "10de")
                .put("device", "22bc").put("class", "040300").put("pcieType", "endpoint").put("name", audioName)
                .put("driver", audioDriver).put("group", 2);
        ArrayNode drivers = root.putArray("drivers");
        drivers.addObject().put("name", "pcieport").put("driverManagedDma", true).putObject("match")
                .putArray("classes").add("0604");
        drivers.addObject().put("name", gpuDriver).putObject("match").putArray("ids").add("10de:2786");
        drivers.addObject().put("name", audioDriver).putObject("match").putArray("ids").add("10de:22bc");
        drivers.addObject().put("name", "vfio-pci").put("driverManagedDma", true).put("vfio", true);
        ArrayNode groups = root.putArray("groups");
        groups.addObject().put("id", 1);
        groups.addObject().put("id", 2);
        return JSON.writeValueAsString(root);
    }

    /**
     * What a POSIX shell would read as code: the script without its comments and single-quoted words (the
     * only places where text is inert). Double-quoted text is kept: {@code $(...)} runs there.
     */
    static String outsideQuotesAndComments(String script) {
        StringBuilder out = new StringBuilder();
        boolean wordStart = true;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < script.length()) {
                out.append(c).append(script.charAt(++i));
                wordStart = false;
            } else if (c == '\'') {
                int end = script.indexOf('\'', i + 1);
                i = end < 0 ? script.length() : end; // an unclosed quote runs to the end
                wordStart = false;
            } else if (c == '"') { // kept, up to the closing quote that is not escaped
                int j = i + 1;
                while (j < script.length() && script.charAt(j) != '"') {
                    j += script.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(script, i, Math.min(j + 1, script.length()));
                i = j;
                wordStart = false;
            } else if (c == '#' && wordStart) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end - 1;
            } else {
                out.append(c);
                wordStart = Character.isWhitespace(c) || c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
            }
        }
        return out.toString();
    }
}
