package dev.iommufx.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.doctor.Doctor;
import dev.iommufx.doctor.Finding;
import dev.iommufx.doctor.Readiness;
import dev.iommufx.doctor.ReadinessText;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.Printable;
import dev.iommufx.scenario.Scenario;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code iommufx doctor FILE [--json]}: is the machine ready for passthrough, as far as its source tells (the IOMMU,
 * interrupt remapping, default domains, the ACS override, and per device reset, boot VGA and SR-IOV). Exit 1 when
 * a finding is an error (the IOMMU is off, interrupt remapping is off), 0 otherwise.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Is the machine ready for passthrough? The IOMMU, interrupt remapping, default domains, the ACS"
                + " override, and per device reset, boot VGA and SR-IOV, from what the file says. Exit 1 on an error.")
final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--json", description = "print the report as JSON (null where the source cannot tell)")
    boolean json;

    @Override
    public Integer call() throws FormatException, JsonProcessingException {
        PrintWriter out = parent.cli.out();
        Scenario s = file.load(parent.cli.err());
        Readiness r = Doctor.examine(s.topology());
        if (json) {
            out.println(JSON.writeValueAsString(toJson(r)));
        } else {
            print(out, Printable.of(s.topology().name()), r);
        }
        return r.worst() == Finding.Severity.ERROR ? Cli.EXPECTATION_FAILED : Cli.OK;
    }

    private static void print(PrintWriter out, String name, Readiness r) {
        out.println(name + ": readiness for passthrough");
        for (String[] row : ReadinessText.machine(r.iommu())) {
            out.println(String.format("  %-21s", row[0] + ":") + Printable.of(row[1]));
        }
        if (!r.devices().isEmpty()) {
            out.println("Devices:");
            for (Map.Entry<String, Readiness.Device> e : r.devices().entrySet()) {
                out.println("  " + Printable.of(e.getKey()) + "  " + ReadinessText.device(e.getValue()));
            }
        }
        out.println("Findings:");
        for (Finding f : r.findings()) {
            out.println("  " + f.severity().word() + ": " + Printable.of(f.text()));
        }
    }

    /** The shape the readiness panel and scripts read: null where the source cannot tell. */
    static ObjectNode toJson(Readiness r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode iommu = root.putObject("iommu");
        Readiness.Iommu i = r.iommu();
        iommu.put("enabled", i.enabled());
        iommu.put("interruptRemapping", i.interruptRemapping());
        ArrayNode types = iommu.putArray("defaultDomainTypes");
        i.defaultDomainTypes().forEach(types::add);
        iommu.put("cmdline", i.cmdline());
        iommu.put("acsOverride", i.acsOverride());
        ObjectNode devices = root.putObject("devices");
        r.devices().forEach((id, d) -> {
            ObjectNode n = devices.putObject(id);
            if (d.reset() == null) {
                n.putNull("reset");
            } else {
                ArrayNode reset = n.putArray("reset");
                d.reset().forEach(reset::add);
            }
            n.put("bootVga", d.bootVga());
            if (d.sriov() == null) {
                n.putNull("sriov");
            } else {
                ObjectNode sriov = n.putObject("sriov");
                sriov.put("totalVfs", d.sriov().totalVfs());
                sriov.put("enabledVfs", d.sriov().enabledVfs());
            }
        });
        ArrayNode findings = root.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode n = findings.addObject();
            n.put("severity", f.severity().word());
            if (f.device() != null) {
                n.put("device", f.device());
            }
            n.put("text", f.text());
        }
        return root;
    }
}
