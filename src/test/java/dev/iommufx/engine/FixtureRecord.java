package dev.iommufx.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A real-kernel record ({@code linux-iommu-oracle/1}, see fixtures/kernel-6.1/README.md): the machine it
 * booted, and each step's operation, answer and resulting state. Test-side reading only.
 */
final class FixtureRecord {
    final String name;
    final JsonNode root;
    final Map<String, String> aliases = new LinkedHashMap<>();
    final Map<String, String> bootDrivers = new LinkedHashMap<>();

    private FixtureRecord(String name, JsonNode root) {
        this.name = name;
        this.root = root;
        root.get("topology").get("aliases").fields().forEachRemaining(e -> {
            aliases.put(e.getKey(), e.getValue().get("bdf").asText());
            bootDrivers.put(e.getKey(), e.getValue().get("boot_driver").asText());
        });
    }

    static FixtureRecord load(String resource) {
        try (InputStream in = FixtureRecord.class.getResourceAsStream("/fixtures/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new FixtureRecord(resource, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel's own drivers on the emulated machines, in the order that matters for autoprobe. */
    static List<DriverSpec> drivers() {
        List<DriverSpec> out = new ArrayList<>();
        out.add(DriverSpec.pcieport());
        out.add(DriverSpec.pciKernel("e1000", "8086:100e"));
        out.add(DriverSpec.pciKernel("e1000e", "8086:10d3"));
        out.add(DriverSpec.pciStub("pci-stub"));
        out.add(DriverSpec.vfioPci("vfio-pci"));
        return out;
    }

    /** The machine as it booted: the record's PCI data with the kernel's drivers and group numbers. */
    Topology topology() {
        List<DeviceSpec> devices = new ArrayList<>();
        TreeSet<Integer> groups = new TreeSet<>();
        for (JsonNode p : root.get("pci")) {
            JsonNode acs = p.get("acs");
            String type = p.get("pcie_type").isNull() ? null : p.get("pcie_type").asText();
            int group = p.get("iommu_group").asInt();
            groups.add(group);
            devices.add(new DeviceSpec(p.get("bdf").asText(), BusType.PCI, text(p, "parent"),
                    Integer.parseInt(p.get("vendor").asText(), 16), Integer.parseInt(p.get("device").asText(), 16),
                    Integer.parseInt(p.get("class").asText(), 16), null, null, text(p, "driver"), group,
                    p.get("multifunction").asBoolean(), type == null ? null : PcieType.fromKey(type.replace("upstream_port", "upstream_port")),
                    acs == null || acs.isNull() ? null : new Acs(Integer.parseInt(acs.get("cap").asText(), 16),
                            Integer.parseInt(acs.get("ctrl").asText(), 16)), null, null, null));
        }
        List<GroupSpec> groupSpecs = groups.stream().map(g -> new GroupSpec(g, DomainType.DMA_FQ)).toList();
        return new Topology(name, "", DomainType.DMA_FQ, devices, drivers(), groupSpecs);
    }

    /** The same machine with no group numbers, for checking that derivation reproduces the kernel's. */
    Topology topologyWithoutGroups() {
        Topology t = topology();
        List<DeviceSpec> devices = t.devices().stream().map(d -> d.withGroup(null)).toList();
        return new Topology(name, "", DomainType.DMA_FQ, devices, drivers(), List.of());
    }

    JsonNode steps() {
        return root.get("steps");
    }

    String bdf(String alias) {
        return aliases.getOrDefault(alias, alias);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
