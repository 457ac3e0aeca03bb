package dev.iommufx.io.imports;

import dev.iommufx.model.Acs;
import dev.iommufx.model.PcieType;

/**
 * A function's configuration space as sysfs {@code config} returns it: 256 bytes for conventional PCI,
 * 4096 with the PCIe extended space, only the first 64 for a reader without {@code CAP_SYS_ADMIN}. Offsets and
 * the capability walks follow {@code include/uapi/linux/pci_regs.h} and {@code drivers/pci/pci.c}
 * ({@code __pci_find_next_cap_ttl()} with its 48-step limit, {@code pci_find_next_ext_capability()}).
 * Anything beyond the bytes read is "unknown", never guessed.
 */
final class PciConfigSpace {
    static final int CAP_ID_EXP = 0x10;
    static final int CAP_ID_PM = 0x01;
    static final int CAP_ID_AF = 0x13;
    static final int EXT_CAP_ID_ACS = 0x0d;
    /** The capability list runs past the bytes that could be read. */
    static final int UNREADABLE = -1;

    private final byte[] b;

    PciConfigSpace(byte[] bytes) {
        this.b = bytes;
    }

    int length() {
        return b.length;
    }

    int u8(int off) {
        return off >= 0 && off < b.length ? b[off] & 0xff : -1;
    }

    int u16(int off) {
        return off >= 0 && off + 1 < b.length ? (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 : -1;
    }

    long u32(int off) {
        if (off < 0 || off + 3 >= b.length) {
            return -1;
        }
        return (u16(off) | (long) u16(off + 2) << 16) & 0xffffffffL;
    }

    Integer vendor() {
        int v = u16(0x00);
        return v < 0 ? null : v;
    }

    Integer device() {
        int v = u16(0x02);
        return v < 0 ? null : v;
    }

    /** The 24-bit class code (base, sub-class, prog-if) at 0x09..0x0b. */
    Integer classCode() {
        int pi = u8(0x09);
        int sub = u8(0x0a);
        int base = u8(0x0b);
        return pi < 0 || sub < 0 || base < 0 ? null : base << 16 | sub << 8 | pi;
    }

    /** Bit 7 of the header type register (0x0e), or null if not read. */
    Boolean multifunction() {
        int h = u8(0x0e);
        return h < 0 ? null : (h & 0x80) != 0;
    }

    /**
     * The offset of a standard capability: 0 when the function has none, {@link #UNREADABLE} when the list
     * leads past the bytes read.
     */
    int findCapability(int id) {
        int status = u16(0x06);
        int header = u8(0x0e);
        if (status < 0 || header < 0) {
            return UNREADABLE;
        }
        if ((status & 0x10) == 0) { // PCI_STATUS_CAP_LIST
            return 0;
        }
        int pos = u8((header & 0x7f) == 2 ? 0x14 : 0x34); // CardBus bridges keep the pointer at 0x14
        if (pos < 0) {
            return UNREADABLE;
        }
        for (int ttl = 48; ttl > 0 && pos >= 0x40; ttl--) {
            pos &= ~3;
            int capId = u8(pos);
            int next = u8(pos + 1);
            if (capId < 0 || next < 0) {
                return UNREADABLE;
            }
            if (capId == 0xff) {
                return 0;
            }
            if (capId == id) {
                return pos;
            }
            pos = next;
        }
        return 0;
    }

    /** The PCIe device/port type, bits 7:4 of the PCI Express Capabilities register; -1 if not read. */
    int pcieTypeCode(int expCap) {
        int flags = u16(expCap + 2);
        return flags < 0 ? -1 : (flags >> 4) & 0xf;
    }

    static PcieType pcieType(int code) {
        return switch (code) {
            case 0 -> PcieType.ENDPOINT;
            case 1 -> PcieType.LEGACY_ENDPOINT;
            case 4 -> PcieType.ROOT_PORT;
            case 5 -> PcieType.UPSTREAM_PORT;
            case 6 -> PcieType.DOWNSTREAM_PORT;
            case 7 -> PcieType.PCIE_TO_PCI_BRIDGE;
            case 8 -> PcieType.PCI_TO_PCIE_BRIDGE;
            case 9 -> PcieType.RC_INTEGRATED_ENDPOINT;
            case 10 -> PcieType.RC_EVENT_COLLECTOR;
            default -> null;
        };
    }

    /** The offset of an extended capability: 0 when absent, {@link #UNREADABLE} without extended space. */
    int findExtCapability(int id) {
        if (b.length < 4096) {
            return UNREADABLE;
        }
        int pos = 0x100;
        long header = u32(pos);
        if (header == 0 || header == 0xffffffffL) {
            return 0;
        }
        for (int ttl = (4096 - 256) / 8; ttl > 0; ttl--) {
            if ((header & 0xffff) == id) {
                return pos;
            }
            pos = (int) (header >>> 20) & 0xffc;
            if (pos < 0x100) {
                return 0;
            }
            header = u32(pos);
            if (header < 0) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * The reset methods the configuration space shows, in the kernel's order (6.1 {@code drivers/pci/pci.c}:
     * {@code pcie_reset_flr()} needs FLR in the Device Capabilities, {@code pci_af_flr()} the AF capability's TP
     * and FLR bits, {@code pci_pm_reset()} a PM capability without No_Soft_Reset); null when the capability list
     * cannot be read. The device-specific and ACPI methods, the quirks that forbid one, and the bus reset (which
     * depends on the device's place) are not in these registers.
     */
    java.util.List<String> resetMethods() {
        int exp = findCapability(CAP_ID_EXP);
        int af = findCapability(CAP_ID_AF);
        int pm = findCapability(CAP_ID_PM);
        if (exp == UNREADABLE || af == UNREADABLE || pm == UNREADABLE) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        if (exp > 0 && u32(exp + 4) >= 0 && (u32(exp + 4) & 0x10000000L) != 0) { // PCI_EXP_DEVCAP_FLR
            out.add("flr");
        }
        if (af > 0 && (u8(af + 3) & 0x03) == 0x03) { // PCI_AF_CAP: PCI_AF_CAP_TP | PCI_AF_CAP_FLR
            out.add("af_flr");
        }
        if (pm > 0 && u16(pm + 4) >= 0 && (u16(pm + 4) & 0x0008) == 0) { // PCI_PM_CTRL_NO_SOFT_RESET
            out.add("pm");
        }
        return out;
    }

    /** The ACS capability (capability register at +4, control at +6), or null when absent or unreadable. */
    Acs acs(int acsCap) {
        int cap = u16(acsCap + 4);
        int ctrl = u16(acsCap + 6);
        return cap < 0 || ctrl < 0 ? null : new Acs(cap, ctrl);
    }
}
