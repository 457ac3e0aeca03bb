package dev.iommufx.model;

/**
 * The buses whose drivers take DMA ownership in their {@code dma_configure} hook
 * (Linux 6.1: PCI, platform, AMBA and fsl-mc; kernel-model §2.4).
 */
public enum BusType {
    PCI("pci", "pci_dma_configure", "pci_dma_cleanup"),
    PLATFORM("platform", "platform_dma_configure", "platform_dma_cleanup"),
    AMBA("amba", "amba_dma_configure", "amba_dma_cleanup"),
    FSL_MC("fsl-mc", "fsl_mc_dma_configure", "fsl_mc_dma_cleanup");

    private final String sysfsName;
    private final String dmaConfigure;
    private final String dmaCleanup;

    BusType(String sysfsName, String dmaConfigure, String dmaCleanup) {
        this.sysfsName = sysfsName;
        this.dmaConfigure = dmaConfigure;
        this.dmaCleanup = dmaCleanup;
    }

    public String sysfsName() {
        return sysfsName;
    }

    /** Name of the bus's {@code dma_configure} hook, for call paths. */
    public String dmaConfigureHook() {
        return dmaConfigure;
    }

    /** Name of the bus's {@code dma_cleanup} hook, for call paths. */
    public String dmaCleanupHook() {
        return dmaCleanup;
    }

    public static BusType fromSysfsName(String name) {
        for (BusType b : values()) {
            if (b.sysfsName.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
