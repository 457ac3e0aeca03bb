package dev.iommufx.engine.pci;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.PcieType;
import java.util.Set;

/**
 * The common entries of the kernel's ACS quirk table, {@code drivers/pci/quirks.c: pci_dev_acs_enabled[]}
 * (kernel-model §6.2): devices the vendor verified not to do peer-to-peer, or whose ACS the kernel enables
 * in a vendor-specific way when an IOMMU asks for it. Answers what {@code pci_dev_specific_acs_enabled()} answers
 * for REQ_ACS_FLAGS once the IOMMU is on: true (isolated) for a matching entry, null when no entry applies.
 */
public final class AcsQuirks {
    private static final int INTEL = 0x8086;

    /** {@code pci_quirk_mf_endpoint_acs}: 82571 non-quad ports and I219, as §6.2 names them. */
    private static final Set<Integer> INTEL_MF_ENDPOINTS = Set.of(0x105e, 0x105f, 0x1060, 0x10d9, 0x15b7, 0x15b8);

    private AcsQuirks() {
    }

    public static Boolean lookup(DeviceSpec d) {
        if (d.vendor() != INTEL || d.bdf() == null) {
            return null;
        }
        PcieType type = d.pcieType();
        if (type == PcieType.ROOT_PORT && (intelPchRootPort(d.device()) || intelSptPchRootPort(d.device()))) {
            return true; // pci_quirk_intel_pch_acs / pci_quirk_intel_spt_pch_acs, enabled by the kernel
        }
        if (INTEL_MF_ENDPOINTS.contains(d.device())) {
            return true; // pci_quirk_mf_endpoint_acs
        }
        if (type == PcieType.RC_INTEGRATED_ENDPOINT) {
            return true; // pci_quirk_rciep_acs: { PCI_VENDOR_ID_INTEL, PCI_ANY_ID }, RC_END only
        }
        return null;
    }

    /** {@code pci_quirk_intel_pch_acs_ids[]}: Ibexpeak, Cougarpoint, Pantherpoint, Lynxpoint, Wildcat, X79, X99, 9 series. */
    private static boolean intelPchRootPort(int id) {
        return (id >= 0x3b42 && id <= 0x3b51) || in16(id, 0x1c10) || in16(id, 0x1e10) || in16(id, 0x8c10)
                || in16(id, 0x9c10) || in16(id, 0x9c90) || in16(id, 0x8d10) || in16(id, 0x8c90)
                || (id >= 0x1d10 && id <= 0x1d1e && id % 2 == 0);
    }

    /** {@code pci_quirk_intel_spt_pch_acs_match()}: Sunrise Point and Union Point root ports. */
    private static boolean intelSptPchRootPort(int id) {
        return in16(id, 0xa110) || (id >= 0xa167 && id <= 0xa16a) || in16(id, 0xa290) || (id >= 0xa2e7 && id <= 0xa2ee);
    }

    private static boolean in16(int id, int base) {
        return id >= base && id <= base + 0xf;
    }
}
