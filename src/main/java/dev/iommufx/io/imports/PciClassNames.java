package dev.iommufx.io.imports;

import java.util.HashMap;
import java.util.Map;

/**
 * The class names lspci prints when it is not given {@code -n}: the sub-class's name from the PCI ID database
 * ({@code pci.ids}, section "C"), or the base class's when the sub-class has none there ({@code lspci}'s
 * {@code pci_lookup_name()}). Listings without {@code [cccc]} codes ({@code lspci -s}, the r15ch13 gist) name
 * the class only in words; this table turns the words back into the class code. A base-class name stands for
 * sub-class 80 ("other"), which is all a listing can say then. Taken from pci.ids of 2023-04-11.
 */
final class PciClassNames {
    /** Name, then class and sub-class in hex. */
    private static final String[] TABLE = {
            "Non-VGA unclassified device", "0000", "VGA compatible unclassified device", "0001",
            "Image coprocessor", "0005", "Unclassified device", "0080", "SCSI storage controller", "0100",
            "IDE interface", "0101", "Floppy disk controller", "0102", "IPI bus controller", "0103",
            "RAID bus controller", "0104", "ATA controller", "0105", "SATA controller", "0106",
            "Serial Attached SCSI controller", "0107", "Non-Volatile memory controller", "0108",
            "Universal Flash Storage controller", "0109", "Mass storage controller", "0180",
            "Ethernet controller", "0200", "Token ring network controller", "0201",
            "FDDI network controller", "0202", "ATM network controller", "0203", "ISDN controller", "0204",
            "WorldFip controller", "0205", "PICMG controller", "0206", "Infiniband controller", "0207",
            "Fabric controller", "0208", "Network controller", "0280", "VGA compatible controller", "0300",
            "XGA compatible controller", "0301", "3D controller", "0302", "Display controller", "0380",
            "Multimedia video controller", "0400", "Multimedia audio controller", "0401",
            "Computer telephony device", "0402", "Audio device", "0403", "Multimedia controller", "0480",
            "RAM memory", "0500", "FLASH memory", "0501", "CXL", "0502", "Memory controller", "0580",
            "Host bridge", "0600", "ISA bridge", "0601", "EISA bridge", "0602", "MicroChannel bridge", "0603",
            "PCI bridge", "0604", "PCMCIA bridge", "0605", "NuBus bridge", "0606", "CardBus bridge", "0607",
            "RACEway bridge", "0608", "Semi-transparent PCI-to-PCI bridge", "0609",
            "InfiniBand to PCI host bridge", "060a", "Bridge", "0680", "Serial controller", "0700",
            "Parallel controller", "0701", "Multiport serial controller", "0702", "Modem", "0703",
            "GPIB controller", "0704", "Smard Card controller", "0705", "Communication controller", "0780",
            "PIC", "0800", "DMA controller", "0801", "Timer", "0802", "RTC", "0803",
            "PCI Hot-plug controller", "0804", "SD Host controller", "0805", "IOMMU", "0806",
            "System peripheral", "0880", "Generic system peripheral", "0880", "Timing Card", "0899",
            "Keyboard controller", "0900", "Digitizer Pen", "0901", "Mouse controller", "0902",
            "Scanner controller", "0903", "Gameport controller", "0904", "Input device controller", "0980",
            "Generic Docking Station", "0a00", "Docking Station", "0a80", "Docking station", "0a80", "386", "0b00",
            "486", "0b01", "Pentium", "0b02", "Alpha", "0b10", "Power PC", "0b20", "MIPS", "0b30",
            "Co-processor", "0b40", "Processor", "0b80", "FireWire (IEEE 1394)", "0c00", "ACCESS Bus", "0c01",
            "SSA", "0c02", "USB controller", "0c03", "Fibre Channel", "0c04", "SMBus", "0c05",
            "InfiniBand", "0c06", "IPMI Interface", "0c07", "SERCOS interface", "0c08", "CANBUS", "0c09",
            "Serial bus controller", "0c80", "IRDA controller", "0d00", "Consumer IR controller", "0d01",
            "RF controller", "0d10", "Bluetooth", "0d11", "Broadband", "0d12", "802.1a controller", "0d20",
            "802.1b controller", "0d21", "Wireless controller", "0d80", "I2O", "0e00",
            "Intelligent controller", "0e80", "Satellite TV controller", "0f01",
            "Satellite audio communication controller", "0f02", "Satellite voice communication controller", "0f03",
            "Satellite data communication controller", "0f04", "Satellite communications controller", "0f80",
            "Network and computing encryption device", "1000", "Entertainment encryption device", "1010",
            "Encryption controller", "1080", "DPIO module", "1100", "Performance counters", "1101",
            "Communication synchronizer", "1110", "Signal processing management", "1120",
            "Signal processing controller", "1180", "Processing accelerators", "1200",
            "SNIA Smart Data Accelerator Interface (SDXI) controller", "1201",
            "Non-Essential Instrumentation", "1380", "Coprocessor", "4080", "Unassigned class", "ff80"
    };
    private static final Map<String, Integer> CODES = new HashMap<>();
    private static final int LONGEST;

    static {
        int longest = 0;
        for (int i = 0; i < TABLE.length; i += 2) {
            CODES.putIfAbsent(TABLE[i], Integer.parseInt(TABLE[i + 1], 16) << 8);
            longest = Math.max(longest, TABLE[i].length());
        }
        LONGEST = longest;
    }

    private PciClassNames() {
    }

    /** The class code (bits 23..8; prog-if 0) lspci prints as {@code name}, or null for a name it never prints. */
    static Integer code(String name) {
        return name == null ? null : CODES.get(name.strip());
    }

    /**
     * The longest class name at the start of {@code text} that ends there, at white space or at a colon; its
     * length, or 0 when none does. Looks at no more than the longest name's length.
     */
    static int nameAt(String text, int from) {
        int best = 0;
        int end = Math.min(text.length(), from + LONGEST);
        for (int to = from + 1; to <= end; to++) {
            boolean boundary = to == text.length() || text.charAt(to) == ':' || Character.isWhitespace(text.charAt(to));
            if (boundary && CODES.containsKey(text.substring(from, to))) {
                best = to - from;
            }
        }
        return best;
    }
}
