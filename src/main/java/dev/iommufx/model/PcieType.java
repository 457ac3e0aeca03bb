package dev.iommufx.model;

/** PCIe device/port type from the PCI Express capability ({@code PCI_EXP_TYPE_*}). */
public enum PcieType {
    ENDPOINT("endpoint"),
    LEGACY_ENDPOINT("legacy_endpoint"),
    RC_INTEGRATED_ENDPOINT("rc_integrated_endpoint"),
    RC_EVENT_COLLECTOR("rc_event_collector"),
    ROOT_PORT("root_port"),
    UPSTREAM_PORT("upstream_port"),
    DOWNSTREAM_PORT("downstream_port"),
    /** PCIe to PCI/PCI-X bridge ({@code PCI_EXP_TYPE_PCI_BRIDGE}). */
    PCIE_TO_PCI_BRIDGE("pcie_to_pci_bridge"),
    /** PCI/PCI-X to PCIe bridge ({@code PCI_EXP_TYPE_PCIE_BRIDGE}). */
    PCI_TO_PCIE_BRIDGE("pci_to_pcie_bridge");

    private final String key;

    PcieType(String key) {
        this.key = key;
    }

    /** The name used in topology files and in the real-kernel records. */
    public String key() {
        return key;
    }

    public boolean isPort() {
        return this == ROOT_PORT || this == UPSTREAM_PORT || this == DOWNSTREAM_PORT;
    }

    public static PcieType fromKey(String key) {
        for (PcieType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        return null;
    }
}
