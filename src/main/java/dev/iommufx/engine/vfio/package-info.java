/**
 * VFIO, {@code drivers/vfio/}: the group and device files ({@code vfio_main.c}, {@code group.c}: open, the
 * ioctls, release, the unbind that waits for the user), and the legacy container with its type1 backend
 * ({@code container.c}, {@code vfio_iommu_type1.c}), where setting a group into a container claims its DMA
 * ownership.
 */
package dev.iommufx.engine.vfio;
