package dev.iommufx.engine.pci;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.engine.iommu.IommuCore;
import dev.iommufx.engine.iommu.IommuProbe;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;

/**
 * The buses' DMA ownership hooks, one shape for all four in 6.1 (kernel-model §2.4):
 * {@code drivers/pci/pci-driver.c: pci_dma_configure()/pci_dma_cleanup()}, and the platform, AMBA and
 * fsl-mc twins. Firmware configuration comes first, then the DMA-API ownership count; the v7 series
 * counted first ({@link ProfileRule#USE_BEFORE_FIRMWARE}, §7a).
 */
public final class BusDma {
    private final KernelState state;
    private final Trace trace;
    private final IommuCore iommu;
    private final IommuProbe iommuProbe;

    public BusDma(KernelState state, Trace trace, IommuCore iommu, IommuProbe iommuProbe) {
        this.state = state;
        this.trace = trace;
        this.iommu = iommu;
        this.iommuProbe = iommuProbe;
    }

    /** pci-driver.c: pci_dma_configure() (6.1) and its twins: firmware DMA setup, then iommu_device_use_default_domain(). */
    public int dmaConfigure(Device dev) {
        Frame f = trace.enter(dev.bus().dmaConfigureHook());
        if (state.profile().has(ProfileRule.USE_BEFORE_FIRMWARE)) {
            return dmaConfigureV7(f, dev);
        }
        firmwareDmaConfigure(dev);
        if (dev.driver().driverManagedDma()) {
            return trace.leave(f, 0, "{} is driver_managed_dma: it takes no DMA-API ownership", dev.driver());
        }
        int ret = iommu.iommuDeviceUseDefaultDomain(dev);
        if (ret != 0) {
            trace.leaf("arch_teardown_dma_ops", 0, "DMA ops of {} torn down", dev);
            return trace.leave(f, ret, "{} may not use the DMA API in group {}", dev.driver(), dev.group().id());
        }
        return trace.leave(f, 0, "{} counted as a DMA-API user", dev.driver());
    }

    /** pci-driver.c: pci_dma_configure() of v7 04/11 (2022): the DMA-API use is counted before the firmware step, which may create the group. */
    private int dmaConfigureV7(Frame f, Device dev) {
        if (!dev.driver().driverManagedDma()) {
            int ret = iommu.iommuDeviceUseDefaultDomain(dev);
            if (ret != 0) {
                return trace.leave(f, ret, "{} may not use the DMA API in group {}", dev.driver(), dev.group().id());
            }
        }
        boolean hadGroup = dev.group() != null;
        firmwareDmaConfigure(dev);
        if (!hadGroup && dev.group() != null && !dev.driver().driverManagedDma()) {
            return trace.leave(f, 0, "{} uses the DMA API in group {}, which was created after the count: "
                    + "owner_cnt is {}", dev.driver(), dev.group().id(), dev.group().ownerCount());
        }
        return trace.leave(f, 0, dev.driver().driverManagedDma() ? "{} is driver_managed_dma"
                : "{} counted as a DMA-API user", dev.driver());
    }

    /**
     * drivers/acpi/scan.c: acpi_dma_configure() / drivers/of/device.c: of_dma_configure() (6.1): on ACPI/IORT and devicetree systems the fwspec appears here
     * and iommu_probe_device() is replayed, creating the device's group (6.1 and earlier, §2.4).
     */
    private void firmwareDmaConfigure(Device dev) {
        String name = dev.bus() == BusType.PCI ? "acpi_dma_configure" : "of_dma_configure";
        if (dev.group() != null || !state.groupedLate(dev)) {
            trace.leaf(name, 0, "firmware DMA configuration of {}", dev);
            return;
        }
        Frame f = trace.enter(name);
        iommuProbe.iommuProbeDevice(dev);
        if (dev.group() == null) { // a platform device the topology gives no group: behind no IOMMU
            trace.leaveWith(f, "0", "the firmware describes no IOMMU for {}", dev);
            return;
        }
        trace.leaveWith(f, "0", "the fwspec of {} is set now, so the IOMMU replay put it in group {}", dev,
                dev.group().id());
    }

    /** pci-driver.c: pci_dma_cleanup() (6.1) and its twins: give back the count dma_configure took. */
    public void dmaCleanup(Device dev) {
        Frame f = trace.enter(dev.bus().dmaCleanupHook());
        if (dev.driver().driverManagedDma()) {
            trace.leaveWith(f, "void", "{} is driver_managed_dma: nothing to give back", dev.driver());
            return;
        }
        iommu.iommuDeviceUnuseDefaultDomain(dev);
        trace.leaveWith(f, "void", "DMA-API use of {} released", dev);
    }
}
