package dev.iommufx.engine.vfio;

import java.util.List;

/**
 * The VFIO modules that register no device driver but that VFIO needs: {@code vfio} (which makes
 * {@code /dev/vfio/vfio} and the group files) and the type1 IOMMU backend {@code vfio_iommu_type1}. A VFIO driver
 * module depends on {@code vfio}, so loading one loads it; {@code vfio} names the backend as a soft dependency
 * ({@code drivers/vfio/vfio_main.c: MODULE_SOFTDEP("post: vfio_iommu_type1 vfio_iommu_spapr_tce")}, 6.1), which
 * kmod's modprobe loads right after it (kernel-model §2.6).
 */
public final class VfioModules {
    /** {@code vfio}: the VFIO core. */
    public static final String CORE = "vfio";
    /** {@code vfio_iommu_type1}: the IOMMU backend {@code VFIO_SET_IOMMU} asks for. */
    public static final String TYPE1 = "vfio_iommu_type1";
    /** What a VFIO driver module needs loaded first, and what kmod loads after the core, in order. */
    public static final List<String> BEFORE_A_VFIO_DRIVER = List.of(CORE, TYPE1);

    private VfioModules() {
    }
}
