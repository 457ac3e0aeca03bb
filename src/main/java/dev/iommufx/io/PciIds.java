package dev.iommufx.io;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vendor and device names as lspci shows them, from the PCI ID database ({@code pci.ids}: Debian's package
 * {@code pci.ids}, at /usr/share/misc/pci.ids or /usr/share/hwdata/pci.ids). Without the file, devices keep
 * their numeric IDs; nothing fails.
 */
public final class PciIds {
    private static final List<Path> SYSTEM = List.of(Path.of("/usr/share/misc/pci.ids"),
            Path.of("/usr/share/hwdata/pci.ids"));
    private static final PciIds EMPTY = new PciIds(Map.of(), Map.of());
    private final Map<Integer, String> vendors;
    private final Map<Integer, String> devices;

    private PciIds(Map<Integer, String> vendors, Map<Integer, String> devices) {
        this.vendors = vendors;
        this.devices = devices;
    }

    /** The system's database, or an empty one when it is not installed or unreadable; read once per run. */
    public static PciIds system() {
        return SystemDatabase.IDS;
    }

    /** Read on first use (the first file opened), not at start-up. */
    private static final class SystemDatabase {
        static final PciIds IDS = readSystem();
    }

    private static PciIds readSystem() {
        for (Path p : SYSTEM) {
            if (Files.isReadable(p)) {
                try {
                    return read(p);
                } catch (IOException e) {
                    return EMPTY;
                }
            }
        }
        return EMPTY;
    }

    /** Reads the vendor and device lines of a pci.ids file (the class section and subsystems are skipped). */
    public static PciIds read(Path file) throws IOException {
        Map<Integer, String> vendors = new HashMap<>();
        Map<Integer, String> devices = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int vendor = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("C ")) {
                    break; // the device classes follow the vendors
                }
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("\t\t")) {
                    continue;
                }
                if (line.startsWith("\t")) {
                    Integer id = hex4(line.substring(1));
                    if (vendor >= 0 && id != null) {
                        devices.put(vendor << 16 | id, line.substring(5).strip());
                    }
                } else {
                    Integer id = hex4(line);
                    vendor = id == null ? -1 : id;
                    if (id != null) {
                        vendors.put(id, line.substring(4).strip());
                    }
                }
            }
        }
        return new PciIds(vendors, devices);
    }

    private static Integer hex4(String s) {
        if (s.length() < 5 || s.charAt(4) != ' ') {
            return null;
        }
        try {
            return Integer.parseInt(s.substring(0, 4), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "NVIDIA Corporation AD104 [GeForce RTX 4070]", or null when the database does not know the device. */
    public String name(int vendor, int device) {
        String v = vendors.get(vendor);
        String d = devices.get(vendor << 16 | device);
        if (v == null) {
            return null;
        }
        return d == null ? v + " Device " + String.format("%04x", device) : v + " " + d;
    }

    /** The topology with a name for each PCI device that has none and that the database knows. */
    public Topology name(Topology t) {
        if (vendors.isEmpty()) {
            return t;
        }
        List<DeviceSpec> named = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            String n = d.name() == null && d.bdf() != null ? name(d.vendor(), d.device()) : null;
            named.add(n == null ? d : new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(), d.device(), d.pciClass(),
                    d.compatible(), n, d.driver(), d.group(), d.multifunction(), d.pcieType(), d.acs(),
                    d.driverOverride(), d.requiredDomain(), d.quirks(), d.physfn(), d.groupAtDmaConfigure(), d.sriov()));
        }
        return t.withDevices(named);
    }
}
