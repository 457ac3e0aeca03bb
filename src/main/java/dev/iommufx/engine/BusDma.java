package dev.iommufx.engine;

import dev.iommufx.model.BusType;

/**
 * The buses' DMA ownership hooks, one shape for all four in 6.1 (kernel-semantics §2.4):
 * {@code drivers/pci/pci-driver.c: pci_dma_configure()/pci_dma_cleanup()}, and the platform, AMBA and
 * fsl-mc twins. Firmware configuration comes first, then the DMA-API ownership count.
 */
final class BusDma {
    private final Kernel k;

    BusDma(Kernel kernel) {
        this.k = kernel;
    }

    /** pci-driver.c: pci_dma_configure() (6.1) and its twins: firmware DMA setup, then iommu_device_use_default_domain(). */
    int dmaConfigure(Device dev) {
        Frame f = k.trace.enter(dev.bus().dmaConfigureHook());
        k.trace.leaf(dev.bus() == BusType.PCI ? "acpi_dma_configure" : "of_dma_configure", 0,
                "firmware DMA configuration of {}", dev);
        if (dev.driver.driverManagedDma()) {
            return k.trace.leave(f, 0, "{} is driver_managed_dma: it takes no DMA-API ownership", dev.driver);
        }
        int ret = k.iommu.useDefaultDomain(dev);
        if (ret != 0) {
            k.trace.leaf("arch_teardown_dma_ops", 0, "DMA ops of {} torn down", dev);
            return k.trace.leave(f, ret, "{} may not use the DMA API in group {}", dev.driver, dev.group.id());
        }
        return k.trace.leave(f, 0, "{} counted as a DMA-API user", dev.driver);
    }

    /** pci-driver.c: pci_dma_cleanup() (6.1) and its twins: give back the count dma_configure took. */
    void dmaCleanup(Device dev) {
        Frame f = k.trace.enter(dev.bus().dmaCleanupHook());
        if (dev.driver.driverManagedDma()) {
            k.trace.leaveWith(f, "void", "{} is driver_managed_dma: nothing to give back", dev.driver);
            return;
        }
        k.iommu.unuseDefaultDomain(dev);
        k.trace.leaveWith(f, "void", "DMA-API use of {} released", dev);
    }
}
