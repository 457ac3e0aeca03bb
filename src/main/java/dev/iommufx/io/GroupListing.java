package dev.iommufx.io;

import dev.iommufx.model.DriverSpec;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The machine's groups as the listing people paste in forums: the Arch wiki's loop over
 * {@code /sys/kernel/iommu_groups} (groups in number order, as {@code sort -V} gives them) running
 * {@code lspci -nnks} on each member (members in name order, as the shell's glob gives them):
 * <pre>
 * IOMMU Group 8:
 * 	01:00.0 VGA compatible controller [0300]: GPU: GeForce RTX 4070 [10de:2786]
 * 	Kernel driver in use: nouveau
 * </pre>
 * lspci leaves out domain 0000 and prints other domains; it prints nothing for a device off the PCI bus, so
 * neither does this. Class names are lspci's (from pci.ids). Names from a file are written with their control
 * characters made visible, so a pasted listing holds only what it shows. The importer reads this back to the
 * same groups, members, IDs, classes and drivers ({@code GroupListingImporter}).
 */
public final class GroupListing {
    private GroupListing() {
    }

    public static String of(Kernel k) {
        StringBuilder out = new StringBuilder();
        List<IommuGroup> groups = k.groups().stream().sorted(Comparator.comparingInt(IommuGroup::id)).toList();
        for (IommuGroup g : groups) {
            out.append("IOMMU Group ").append(g.id()).append(":\n");
            List<Device> members = g.devices().stream().filter(d -> d.bus() == BusType.PCI)
                    .sorted(Comparator.comparing(Device::id)).toList();
            for (Device d : members) {
                member(out, d);
            }
        }
        return out.toString();
    }

    private static void member(StringBuilder out, Device d) {
        int cls = d.spec().pciClass() >> 8;
        String name = d.spec().name() == null ? "Device" : Printable.of(d.spec().name());
        out.append('\t').append(lspciAddress(d.bdf())).append(' ').append(className(cls))
                .append(String.format(" [%04x]: ", cls)).append(name).append(" [").append(d.spec().vendorDevice())
                .append("]\n");
        if (d.sysfsDriver() != null && !DriverSpec.isUnknown(d.sysfsDriver().name())) { // unknown: no line, as lspci -nn
            out.append("\tKernel driver in use: ").append(Printable.of(d.sysfsDriver().name())).append('\n');
        }
    }

    /** {@code 01:00.0} in domain 0000, {@code 0001:01:00.0} in any other, as lspci prints it without -D. */
    static String lspciAddress(Bdf b) {
        String s = b.toString();
        return b.domain() == 0 ? s.substring(s.indexOf(':') + 1) : s;
    }

    /** lspci's name of a class and sub-class ({@code 0x0300}): the sub-class's, else the base class's. */
    static String className(int classSub) {
        String sub = SUBCLASSES.get(classSub);
        if (sub != null) {
            return sub;
        }
        String base = BASE_CLASSES.get(classSub >> 8);
        return base != null ? base : "Class";
    }

    /** The names pci.ids gives the sub-classes servers and desktops show, as lspci prints them. */
    private static final Map<Integer, String> SUBCLASSES = Map.ofEntries(
            Map.entry(0x0000, "Non-VGA unclassified device"), Map.entry(0x0001, "VGA compatible unclassified device"),
            Map.entry(0x0100, "SCSI storage controller"), Map.entry(0x0101, "IDE interface"),
            Map.entry(0x0104, "RAID bus controller"), Map.entry(0x0105, "ATA controller"),
            Map.entry(0x0106, "SATA controller"), Map.entry(0x0107, "Serial Attached SCSI controller"),
            Map.entry(0x0108, "Non-Volatile memory controller"), Map.entry(0x0180, "Mass storage controller"),
            Map.entry(0x0200, "Ethernet controller"), Map.entry(0x0207, "Infiniband controller"),
            Map.entry(0x0208, "Fabric controller"), Map.entry(0x0280, "Network controller"),
            Map.entry(0x0300, "VGA compatible controller"), Map.entry(0x0301, "XGA compatible controller"),
            Map.entry(0x0302, "3D controller"), Map.entry(0x0380, "Display controller"),
            Map.entry(0x0400, "Multimedia video controller"), Map.entry(0x0401, "Multimedia audio controller"),
            Map.entry(0x0403, "Audio device"), Map.entry(0x0480, "Multimedia controller"),
            Map.entry(0x0500, "RAM memory"), Map.entry(0x0580, "Memory controller"),
            Map.entry(0x0600, "Host bridge"), Map.entry(0x0601, "ISA bridge"), Map.entry(0x0604, "PCI bridge"),
            Map.entry(0x0607, "CardBus bridge"), Map.entry(0x0609, "Semi-transparent PCI-to-PCI bridge"),
            Map.entry(0x0680, "Bridge"), Map.entry(0x0700, "Serial controller"),
            Map.entry(0x0780, "Communication controller"), Map.entry(0x0805, "SD Host controller"),
            Map.entry(0x0806, "IOMMU"), Map.entry(0x0880, "System peripheral"), Map.entry(0x0b40, "Co-processor"),
            Map.entry(0x0c00, "FireWire (IEEE 1394)"), Map.entry(0x0c03, "USB controller"),
            Map.entry(0x0c04, "Fibre Channel"), Map.entry(0x0c05, "SMBus"), Map.entry(0x0c06, "InfiniBand"),
            Map.entry(0x0c80, "Serial bus controller"), Map.entry(0x0d11, "Bluetooth"),
            Map.entry(0x0d80, "Wireless controller"), Map.entry(0x1180, "Signal processing controller"),
            Map.entry(0x1200, "Processing accelerators"), Map.entry(0xff00, "Unassigned class"));

    private static final Map<Integer, String> BASE_CLASSES = Map.ofEntries(
            Map.entry(0x00, "Unclassified device"), Map.entry(0x01, "Mass storage controller"),
            Map.entry(0x02, "Network controller"), Map.entry(0x03, "Display controller"),
            Map.entry(0x04, "Multimedia controller"), Map.entry(0x05, "Memory controller"), Map.entry(0x06, "Bridge"),
            Map.entry(0x07, "Communication controller"), Map.entry(0x08, "Generic system peripheral"),
            Map.entry(0x09, "Input device controller"), Map.entry(0x0a, "Docking station"),
            Map.entry(0x0b, "Processor"), Map.entry(0x0c, "Serial bus controller"),
            Map.entry(0x0d, "Wireless controller"), Map.entry(0x0e, "Intelligent controller"),
            Map.entry(0x0f, "Satellite communications controller"), Map.entry(0x10, "Encryption controller"),
            Map.entry(0x11, "Signal processing controller"), Map.entry(0x12, "Processing accelerators"),
            Map.entry(0x13, "Non-Essential Instrumentation"), Map.entry(0x40, "Coprocessor"),
            Map.entry(0xff, "Unassigned class"));
}
