/**
 * VFIO device cdevs bound to iommufd (newest): {@code drivers/vfio/device_cdev.c} (bind, attach, release of the
 * cdev) and {@code drivers/iommu/iommufd/device.c} ({@code iommufd_device_bind()}, {@code iommufd_device_attach()},
 * {@code iommufd_device_replace()}), where DMA ownership is claimed per device.
 */
package dev.iommufx.engine.iommufd;
