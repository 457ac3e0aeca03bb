package dev.iommufx.io;

import dev.iommufx.model.Acs;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.PciQuirks;
import dev.iommufx.model.SriovCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one entry of a topology's {@code devices} (docs/formats.md, "Device"). References are checked later. */
final class DeviceReader {
    static final List<String> DEVICE_KEYS = List.of("id", "bus", "parent", "name", "vendor", "device", "class",
            "compatible", "driver", "group", "multifunction", "pcieType", "acs", "driverOverride", "requiredDomain",
            "quirks", "physfn", "groupAtDmaConfigure", "sriov");
    static final List<String> ACS_KEYS = List.of("cap", "ctrl");
    static final List<String> SRIOV_KEYS = List.of("totalVfs", "firstVfOffset", "vfStride", "vfDeviceId",
            "driversAutoprobe");
    static final List<String> QUIRK_KEYS = List.of("acsIsolated", "dmaAliases", "pcieBridgeAlias", "xlateRoot");

    private static final Pattern SLOT_FUNCTION = Pattern.compile("([0-9a-fA-F]{2})\\.([0-7])");

    private DeviceReader() {
    }

    static Parsed<DeviceSpec> read(Node node) throws FormatException {
        Fields f = Fields.of(node, "a device", DEVICE_KEYS);
        BusType bus = f.choice("bus", Vocabulary.BUS, BusType.PCI);
        String id = id(f.require("id"), bus);
        try {
            DeviceSpec spec = new DeviceSpec(id, bus, f.nullableString("parent"),
                    f.hex("vendor", 4, 0), f.hex("device", 4, 0), f.hex("class", 6, 0),
                    f.optionalString("compatible"), f.optionalString("name"), f.nullableString("driver"),
                    groupNumber(f.get("group")), f.bool("multifunction", false),
                    f.nullableChoice("pcieType", Vocabulary.PCIE_TYPE), acs(f.get("acs")),
                    f.nullableString("driverOverride"), f.choice("requiredDomain", Vocabulary.REQUIRED_DOMAIN, null),
                    quirks(f.get("quirks")), f.nullableString("physfn"), f.bool("groupAtDmaConfigure", false),
                    sriov(f.get("sriov"), bus));
            return new Parsed<>(spec, f);
        } catch (IllegalArgumentException e) {
            // the checks above should have caught it; still say where
            throw node.error(e.getMessage());
        }
    }

    /**
     * A PCI device's id must be its address exactly as sysfs writes it, because steps and other devices
     * refer to it by string: "0000:0A:00.0" would silently differ from "0000:0a:00.0".
     */
    private static String id(Node node, BusType bus) throws FormatException {
        String id = node.nonEmptyString();
        if (bus != BusType.PCI) {
            return id;
        }
        Bdf bdf = Bdf.parseOrNull(id);
        if (bdf == null) {
            throw node.error("expected a PCI address DDDD:BB:DD.F such as \"0000:01:00.0\", found " + node.describe()
                    + " (a device on another bus needs \"bus\")");
        }
        if (!bdf.toString().equals(id)) {
            throw node.error("write the PCI address as sysfs does, \"" + bdf + "\", found " + node.describe());
        }
        return id;
    }

    /** A group number, or null when absent or null. */
    private static Integer groupNumber(Node node) throws FormatException {
        return node == null || node.isNull() ? null : (int) node.nonNegative(Limits.GROUP_NUMBER);
    }

    private static Acs acs(Node node) throws FormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        Fields f = Fields.of(node, "an ACS capability", ACS_KEYS);
        return new Acs(Fields.hex(f.require("cap"), 4), Fields.hex(f.require("ctrl"), 4));
    }

    /** A physical function's SR-IOV capability (kernel-model §6.5); the VF count is the topology's VF devices. */
    private static SriovCapability sriov(Node node, BusType bus) throws FormatException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (bus != BusType.PCI) {
            throw node.error("only a PCI function has an SR-IOV capability");
        }
        Fields f = Fields.of(node, "an SR-IOV capability", SRIOV_KEYS);
        int total = (int) f.require("totalVfs").nonNegative(0xffff);
        int offset = (int) f.require("firstVfOffset").nonNegative(0xffff);
        if (total < 1) {
            throw f.get("totalVfs").error("expected at least 1 (TotalVFs of an SR-IOV capability)");
        }
        if (offset < 1) {
            throw f.get("firstVfOffset").error("expected at least 1 (a VF never has the PF's routing ID)");
        }
        Node stride = f.get("vfStride");
        return new SriovCapability(total, offset, stride == null ? 1 : (int) stride.nonNegative(0xffff),
                f.hex("vfDeviceId", 4, 0), f.bool("driversAutoprobe", true));
    }

    private static PciQuirks quirks(Node node) throws FormatException {
        if (node == null) {
            return PciQuirks.NONE;
        }
        Fields f = Fields.of(node, "the quirks", QUIRK_KEYS);
        return new PciQuirks(f.optionalBool("acsIsolated"), dmaAliases(f.get("dmaAliases")),
                f.bool("pcieBridgeAlias", false), f.bool("xlateRoot", false));
    }

    /** "DD.F" strings on the device's own bus, kept as devfn numbers as the kernel does. */
    private static List<Integer> dmaAliases(Node node) throws FormatException {
        List<Integer> devfns = new ArrayList<>();
        if (node == null) {
            return devfns;
        }
        for (Node alias : node.array("of \"DD.F\" strings")) {
            devfns.add(devfn(alias));
        }
        return devfns;
    }

    private static int devfn(Node alias) throws FormatException {
        String expected = "expected a slot and function \"DD.F\" on the same bus, such as \"02.1\", found ";
        if (alias.kind() != Node.Kind.STRING) {
            throw alias.error(expected + alias.describe());
        }
        Matcher m = SLOT_FUNCTION.matcher(alias.string());
        int slot = m.matches() ? Integer.parseInt(m.group(1), 16) : -1;
        if (slot < 0 || slot > 0x1f) {
            throw alias.error(expected + alias.describe() + " (slots go from 00 to 1f)");
        }
        return slot << 3 | Integer.parseInt(m.group(2));
    }
}
