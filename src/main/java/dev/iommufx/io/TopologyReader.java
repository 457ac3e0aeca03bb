package dev.iommufx.io;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a topology file ({@code iommufx-topology/1}, docs/formats.md). Strict: unknown keys, wrong types,
 * duplicates, dangling references and parent cycles are refused with a {@link FormatException} that names
 * the file, line, column and JSON path.
 */
public final class TopologyReader {
    /** The value of {@code "format"}. */
    public static final String FORMAT = "iommufx-topology/1";

    static final List<String> TOPOLOGY_KEYS = List.of("format", "name", "description", "defaultDomainType",
            "iommuDetach", "iommuEnabled", "devices", "drivers", "groups", "facts");
    static final List<String> GROUP_KEYS = List.of("id", "defaultDomain");

    private TopologyReader() {
    }

    /** Reads a topology file; errors name the file by the path given. */
    public static Topology read(Path file) throws FormatException {
        return fromNode(JsonTree.read(file));
    }

    /**
     * Reads topology JSON held in memory.
     *
     * @param fileName the name used in errors, or null for {@value FormatException#INLINE}
     */
    public static Topology parse(String json, String fileName) throws FormatException {
        return fromNode(JsonTree.parse(json, fileName));
    }

    /**
     * Builds a topology from an object inside a larger file (a scenario's inline {@code topology}); errors
     * keep that file's name, line and column and the object's JSON path ({@code $.topology...}).
     */
    static Topology fromNode(Node root) throws FormatException {
        Fields top = Fields.of(root, "a topology", TOPOLOGY_KEYS);
        checkFormat(top, FORMAT);
        String name = top.requiredString("name");
        String description = top.optionalString("description");
        DomainType defaultType = top.choice("defaultDomainType", Vocabulary.DEFAULT_DOMAIN_TYPE, DomainType.DMA_FQ);
        DomainType iommuDetach = top.choice("iommuDetach", Vocabulary.IOMMU_DETACH, DomainType.PLATFORM);
        List<Parsed<DeviceSpec>> devices = Parsed.each(top.require("devices"), "the devices",
                Limits.DEVICES, "devices", DeviceReader::read);
        List<Parsed<DriverSpec>> drivers = Parsed.each(top.require("drivers"), "the drivers",
                Limits.DRIVERS, "drivers", DriverReader::read);
        List<Parsed<GroupSpec>> groups = top.has("groups")
                ? Parsed.each(top.get("groups"), "the groups", Limits.GROUPS, "groups", node -> group(node, defaultType))
                : List.of();
        TopologyChecks.check(devices, drivers, groups);
        boolean iommuEnabled = top.bool("iommuEnabled", true);
        if (!iommuEnabled) {
            TopologyChecks.noPciGroups(devices);
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        devices.forEach(d -> ids.add(d.value().id()));
        dev.iommufx.model.MachineFacts facts = FactsFormat.read(top.get("facts"), ids);
        try {
            return new Topology(name, description, defaultType, iommuDetach, Parsed.values(devices),
                    Parsed.values(drivers), Parsed.values(groups), iommuEnabled, facts);
        } catch (IllegalArgumentException e) {
            // the checks above report every problem the model knows of; this is a safety net
            throw root.error(e.getMessage());
        }
    }

    /** An optional {@code "format"} must name this version of the format. */
    static void checkFormat(Fields fields, String expected) throws FormatException {
        Node format = fields.get("format");
        if (format != null && !expected.equals(format.string())) {
            throw format.error("unsupported format " + format.describe() + " (expected \"" + expected + "\")");
        }
    }

    private static Parsed<GroupSpec> group(Node node, DomainType topologyDefault) throws FormatException {
        Fields f = Fields.of(node, "a group", GROUP_KEYS);
        int id = (int) f.require("id").nonNegative(Limits.GROUP_NUMBER);
        DomainType defaultDomain = f.choice("defaultDomain", Vocabulary.GROUP_DEFAULT_DOMAIN, topologyDefault);
        return new Parsed<>(new GroupSpec(id, defaultDomain), f);
    }
}
