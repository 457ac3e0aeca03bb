/**
 * The IOMMU core, {@code drivers/iommu/iommu.c}: DMA ownership ({@code iommu_device_use_default_domain()},
 * {@code iommu_group_claim_dma_owner()} and their releases, the per-device claims of 6.2+), domains
 * ({@code __iommu_group_set_domain()}, {@code iommu_attach_group()}, ...), devices entering and leaving groups
 * ({@code iommu_probe_device()}, {@code iommu_release_device()}) and the sysfs {@code type} file
 * ({@code iommu_group_store_type()}).
 */
package dev.iommufx.engine.iommu;
