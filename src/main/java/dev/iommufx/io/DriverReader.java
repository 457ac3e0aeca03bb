package dev.iommufx.io;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PcieType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads one entry of a topology's {@code drivers} (docs/formats.md, "Driver"). */
final class DriverReader {
    static final List<String> DRIVER_KEYS = List.of("name", "bus", "driverManagedDma", "vfio", "match",
            "probeErrno", "module", "builtin", "loaded", "pcieTypes");
    static final List<String> MATCH_KEYS = List.of("ids", "classes", "overrideOnly");

    private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PCI_ID = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{4}");
    /** Whole bytes of the class code: base class, sub-class, programming interface. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("([0-9a-fA-F]{2}){1,3}");

    private DriverReader() {
    }

    static Parsed<DriverSpec> read(Node node) throws FormatException {
        Fields f = Fields.of(node, "a driver", DRIVER_KEYS);
        String name = f.requiredNonEmptyString("name");
        BusType bus = f.choice("bus", Vocabulary.BUS, BusType.PCI);
        boolean builtin = f.bool("builtin", DriverSpec.builtinByDefault(name));
        boolean loaded = f.bool("loaded", true);
        if (builtin && !loaded) {
            throw f.get("loaded").error("a built-in driver is always loaded (expected \"loaded\": true, or no"
                    + " \"builtin\")");
        }
        Node module = f.get("module");
        if (module != null && !MODULE.matcher(module.nonEmptyString()).matches()) {
            throw module.error("expected a module name (letters, digits, '_' and '-'), found " + module.describe());
        }
        DriverSpec spec = new DriverSpec(name, bus, f.bool("driverManagedDma", false), f.bool("vfio", false),
                match(f.get("match"), bus), f.choice("probeErrno", Vocabulary.ERRNO, null),
                pcieTypes(f.get("pcieTypes")), module == null ? null : module.string(), builtin, loaded);
        return new Parsed<>(spec, f);
    }

    private static MatchRules match(Node node, BusType bus) throws FormatException {
        if (node == null) {
            return MatchRules.OVERRIDE_ONLY;
        }
        Fields f = Fields.of(node, "a driver's match rules", MATCH_KEYS);
        Node ids = f.get("ids");
        Node classes = f.get("classes");
        return new MatchRules(ids == null ? List.of() : ids(ids, bus),
                classes == null ? List.of() : classes(classes), f.bool("overrideOnly", false));
    }

    /** PCI: "vvvv:dddd"; other buses: devicetree compatible strings. */
    private static List<String> ids(Node array, BusType bus) throws FormatException {
        List<String> out = new ArrayList<>();
        for (Node id : array.array("of IDs")) {
            if (bus == BusType.PCI && (id.kind() != Node.Kind.STRING || !PCI_ID.matcher(id.string()).matches())) {
                throw id.error("expected a PCI ID \"vvvv:dddd\" (4 hex digits each, ffff for any), found "
                        + id.describe());
            }
            out.add(id.nonEmptyString());
        }
        return out;
    }

    private static List<String> classes(Node array) throws FormatException {
        List<String> out = new ArrayList<>();
        for (Node prefix : array.array("of class-code prefixes")) {
            if (prefix.kind() != Node.Kind.STRING || !CLASS_PREFIX.matcher(prefix.string()).matches()) {
                throw prefix.error("expected a class-code prefix of 2, 4 or 6 hex digits (\"0604\", \"0c0330\"), found "
                        + prefix.describe());
            }
            out.add(prefix.string());
        }
        return out;
    }

    private static List<PcieType> pcieTypes(Node array) throws FormatException {
        List<PcieType> out = new ArrayList<>();
        if (array != null) {
            for (Node type : array.array("of PCIe types")) {
                out.add(Vocabulary.PCIE_TYPE.read(type));
            }
        }
        return out;
    }
}
