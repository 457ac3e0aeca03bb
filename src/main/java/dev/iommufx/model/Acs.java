package dev.iommufx.model;

/**
 * A function's ACS extended capability: the capability register (what the hardware implements)
 * and the control register (what the kernel enabled). Bit values from {@code include/uapi/linux/pci_regs.h}.
 */
public record Acs(int cap, int ctrl) {
    public static final int SV = 0x01; // source validation
    public static final int TB = 0x02; // translation blocking
    public static final int RR = 0x04; // P2P request redirect
    public static final int CR = 0x08; // P2P completion redirect
    public static final int UF = 0x10; // upstream forwarding
    public static final int EC = 0x20; // P2P egress control
    public static final int DT = 0x40; // direct translated P2P

    /** {@code REQ_ACS_FLAGS} of {@code drivers/iommu/iommu.c}: SV | RR | CR | UF. */
    public static final int REQ_ACS_FLAGS = SV | RR | CR | UF;

    private static final String[] NAMES = {"SV", "TB", "RR", "CR", "UF", "EC", "DT"};

    public Acs {
        if (cap < 0 || cap > 0xffff || ctrl < 0 || ctrl > 0xffff) {
            throw new IllegalArgumentException("ACS registers are 16 bits");
        }
    }

    /** Names of the set bits, e.g. {@code [SV, RR, CR, UF]}. */
    public static java.util.List<String> bitNames(int bits) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & 1 << i) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
