package dev.iommufx.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PciQuirks;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a topology in the {@code iommufx-topology/1} format that {@link TopologyReader} reads back to an
 * equal model. Keys come in the order of docs/formats.md; values equal to their default are left out.
 */
public final class TopologyWriter {
    private TopologyWriter() {
    }

    /** The file's text, pretty-printed and ending with a newline. */
    public static String toJson(Topology topology) {
        return JsonOutput.pretty(toNode(topology));
    }

    /** Saves atomically (see {@link AtomicFiles}). */
    public static void write(Topology topology, Path target) throws IOException {
        AtomicFiles.write(target, toJson(topology).getBytes(StandardCharsets.UTF_8));
    }

    /** The topology as a JSON object, also used for a scenario's inline topology. */
    static ObjectNode toNode(Topology topology) {
        ObjectNode out = JsonOutput.object();
        out.put("format", TopologyReader.FORMAT);
        out.put("name", topology.name());
        if (!topology.description().isEmpty()) {
            out.put("description", topology.description());
        }
        if (topology.defaultDomainType() != DomainType.DMA_FQ) {
            out.put("defaultDomainType", Vocabulary.DEFAULT_DOMAIN_TYPE.nameOf(topology.defaultDomainType()));
        }
        if (topology.iommuDetach() != DomainType.PLATFORM) {
            out.put("iommuDetach", Vocabulary.IOMMU_DETACH.nameOf(topology.iommuDetach()));
        }
        if (!topology.iommuEnabled()) {
            out.put("iommuEnabled", false);
        }
        ArrayNode devices = out.putArray("devices");
        topology.devices().forEach(d -> devices.add(device(d)));
        ArrayNode drivers = out.putArray("drivers");
        topology.drivers().forEach(d -> drivers.add(driver(d)));
        if (!topology.groups().isEmpty()) {
            ArrayNode groups = out.putArray("groups");
            topology.groups().forEach(g -> groups.add(group(g, topology.defaultDomainType())));
        }
        ObjectNode facts = FactsFormat.toNode(topology.facts());
        if (facts != null) {
            out.set("facts", facts);
        }
        return out;
    }

    private static ObjectNode device(DeviceSpec d) {
        ObjectNode out = JsonOutput.object();
        out.put("id", d.id());
        if (d.bus() != BusType.PCI) {
            out.put("bus", d.bus().sysfsName());
        }
        putIfSet(out, "parent", d.parent());
        putIfSet(out, "name", d.name());
        putHexIfSet(out, "vendor", d.vendor(), "%04x");
        putHexIfSet(out, "device", d.device(), "%04x");
        putHexIfSet(out, "class", d.pciClass(), "%06x");
        putIfSet(out, "compatible", d.compatible());
        putIfSet(out, "driver", d.driver());
        if (d.group() != null) {
            out.put("group", d.group());
        }
        if (d.multifunction()) {
            out.put("multifunction", true);
        }
        if (d.pcieType() != null) {
            out.put("pcieType", d.pcieType().key());
        }
        if (d.acs() != null) {
            out.putObject("acs").put("cap", hex4(d.acs().cap())).put("ctrl", hex4(d.acs().ctrl()));
        }
        putIfSet(out, "driverOverride", d.driverOverride());
        if (d.requiredDomain() != null) {
            out.put("requiredDomain", Vocabulary.REQUIRED_DOMAIN.nameOf(d.requiredDomain()));
        }
        if (d.physfn() != null) {
            out.put("physfn", d.physfn());
        }
        if (!d.quirks().equals(PciQuirks.NONE)) {
            out.set("quirks", quirks(d.quirks()));
        }
        if (d.groupAtDmaConfigure()) {
            out.put("groupAtDmaConfigure", true);
        }
        if (d.sriov() != null) {
            ObjectNode sriov = out.putObject("sriov");
            sriov.put("totalVfs", d.sriov().totalVfs());
            sriov.put("firstVfOffset", d.sriov().firstVfOffset());
            sriov.put("vfStride", d.sriov().vfStride());
            sriov.put("vfDeviceId", String.format("%04x", d.sriov().vfDeviceId()));
            if (!d.sriov().driversAutoprobe()) {
                sriov.put("driversAutoprobe", false);
            }
        }
        return out;
    }

    private static ObjectNode quirks(PciQuirks q) {
        ObjectNode out = JsonOutput.object();
        if (q.acsIsolated() != null) {
            out.put("acsIsolated", q.acsIsolated());
        }
        if (!q.dmaAliases().isEmpty()) {
            ArrayNode aliases = out.putArray("dmaAliases");
            q.dmaAliases().forEach(devfn -> aliases.add(String.format("%02x.%x", devfn >> 3, devfn & 7)));
        }
        if (q.pcieBridgeAlias()) {
            out.put("pcieBridgeAlias", true);
        }
        if (q.xlateRoot()) {
            out.put("xlateRoot", true);
        }
        return out;
    }

    private static ObjectNode driver(DriverSpec d) {
        ObjectNode out = JsonOutput.object();
        out.put("name", d.name());
        if (d.bus() != BusType.PCI) {
            out.put("bus", d.bus().sysfsName());
        }
        if (d.driverManagedDma()) {
            out.put("driverManagedDma", true);
        }
        if (d.vfio()) {
            out.put("vfio", true);
        }
        if (!d.match().equals(MatchRules.OVERRIDE_ONLY)) {
            out.set("match", match(d.match()));
        }
        putIfSet(out, "probeErrno", d.probeErrno());
        if (!d.pcieTypes().isEmpty()) {
            ArrayNode types = out.putArray("pcieTypes");
            d.pcieTypes().stream().map(PcieType::key).forEach(types::add);
        }
        if (!d.module().equals(DriverSpec.moduleName(d.name()))) {
            out.put("module", d.module());
        }
        if (d.builtin() != DriverSpec.builtinByDefault(d.name())) {
            out.put("builtin", d.builtin());
        }
        if (!d.loaded()) {
            out.put("loaded", false);
        }
        return out;
    }

    private static ObjectNode match(MatchRules m) {
        ObjectNode out = JsonOutput.object();
        if (!m.ids().isEmpty()) {
            m.ids().forEach(out.putArray("ids")::add);
        }
        if (!m.classes().isEmpty()) {
            m.classes().forEach(out.putArray("classes")::add);
        }
        if (m.overrideOnly()) {
            out.put("overrideOnly", true);
        }
        return out;
    }

    private static ObjectNode group(GroupSpec g, DomainType topologyDefault) {
        ObjectNode out = JsonOutput.object();
        out.put("id", g.id());
        if (g.defaultDomain() != topologyDefault) {
            out.put("defaultDomain", Vocabulary.GROUP_DEFAULT_DOMAIN.nameOf(g.defaultDomain()));
        }
        return out;
    }

    private static void putIfSet(ObjectNode out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static void putHexIfSet(ObjectNode out, String key, int value, String format) {
        if (value != 0) {
            out.put(key, String.format(format, value));
        }
    }

    private static String hex4(int value) {
        return String.format("%04x", value);
    }
}
