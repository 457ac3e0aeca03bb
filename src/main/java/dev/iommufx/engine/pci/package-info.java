/**
 * The PCI core, {@code drivers/pci/}: hot remove and rescan ({@code remove.c}, {@code probe.c},
 * {@code pci-sysfs.c}), the bus's DMA ownership hooks ({@code pci-driver.c: pci_dma_configure()} and its platform
 * twins), and what decides a PCI function's IOMMU group: ACS ({@code pci.c: pci_acs_enabled()}), DMA aliases
 * ({@code search.c: pci_for_each_dma_alias()}), the ACS quirks ({@code quirks.c}) and {@code pci_device_group()}.
 * The last is defined in {@code drivers/iommu/iommu.c} but reads nothing but PCI topology, so it is here, where
 * the explainer and the what-if views find it beside the ACS rules it applies.
 */
package dev.iommufx.engine.pci;
