package dev.iommufx.model;

import java.util.List;

/**
 * Per-device PCI quirks that change grouping ({@code drivers/pci/quirks.c}, kernel-model §6.2–6.3).
 *
 * @param acsIsolated     result of {@code pci_dev_specific_acs_enabled()}: true/false when the quirk table
 *                        has an entry, null when it has none (the capability decides)
 * @param dmaAliases      extra devfns this function also uses as requester ID ({@code pci_add_dma_alias()})
 * @param pcieBridgeAlias {@code PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS}: a bridge without a PCIe capability
 *                        that aliases like a PCIe-to-PCI bridge
 * @param xlateRoot       {@code PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT}: the alias walk stops here
 */
public record PciQuirks(Boolean acsIsolated, List<Integer> dmaAliases, boolean pcieBridgeAlias, boolean xlateRoot) {
    public static final PciQuirks NONE = new PciQuirks(null, List.of(), false, false);

    public PciQuirks {
        dmaAliases = dmaAliases == null ? List.of() : List.copyOf(dmaAliases);
    }
}
