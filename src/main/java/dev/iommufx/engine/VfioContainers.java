package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBADF;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENODEV;

import dev.iommufx.model.DomainType;
import java.util.ArrayList;
import java.util.List;

/**
 * The legacy VFIO container and its type1 IOMMU backend, Linux 6.1 {@code drivers/vfio/container.c}
 * and {@code drivers/vfio/vfio_iommu_type1.c} (kernel-model §4.4–4.7). Setting a group into a
 * container is where a user claims the group's DMA ownership.
 */
final class VfioContainers {
    private static final List<String> TYPE1 = List.of("type1", "type1v2");
    private final Kernel k;

    VfioContainers(Kernel kernel) {
        this.k = kernel;
    }

    /** container.c: vfio_fops_open(): open /dev/vfio/vfio. */
    int openContainer(String handle) {
        Frame f = k.trace.enter("vfio_fops_open");
        if (k.handles.containsKey(handle)) {
            return k.trace.leave(f, -EBADF, "the scenario already has a handle named {}", handle);
        }
        k.w.putHandle(k.handles, new Handle(handle, new VfioContainer(handle), null, null));
        return k.trace.leave(f, 0, "container {} open, no IOMMU backend yet", handle);
    }

    /** container.c: vfio_container_attach_group() (6.1): claim DMA ownership, attach if a backend is set. */
    int containerAttachGroup(VfioContainer c, VfioGroup vg) {
        Frame f = k.trace.enter("vfio_container_attach_group");
        IommuGroup ig = vg.iommuGroup();
        int ret = k.iommu.claimDmaOwner(ig, vg.ownerCookie());
        if (ret != 0) {
            return k.trace.leave(f, ret, "group {} cannot be claimed", ig.id());
        }
        if (c.iommuDriver != null) {
            ret = type1AttachGroup(c, vg);
            if (ret != 0) {
                k.iommu.releaseDmaOwner(ig);
                return k.trace.leave(f, ret, "the {} backend refused group {}", c.iommuDriver, ig.id());
            }
        }
        k.w.container(vg, c);
        k.w.containerUsers(vg, 1);
        k.w.containerGroups(c, vg, true);
        return k.trace.leave(f, 0, "group {} is owned by {}", ig.id(), vg.ownerCookie());
    }

    /** container.c: vfio_ioctl_set_iommu() (6.1): choose the backend; it attaches every group. */
    int ioctlSetIommu(String handle, String type) {
        Frame f = k.trace.enter("vfio_ioctl_set_iommu");
        VfioContainer c = containerOf(handle);
        if (c == null) {
            return k.trace.leave(f, -EBADF, "{} is not an open container fd", handle);
        }
        if (c.groups.isEmpty() || c.iommuDriver != null) {
            return k.trace.leave(f, -EINVAL, c.groups.isEmpty() ? "container {} has no group"
                    : "container {} already has a backend", handle);
        }
        if (!TYPE1.contains(type)) {
            return k.trace.leave(f, -ENODEV, "no IOMMU backend offers {}", type);
        }
        Domain domain = k.newDomain(DomainType.UNMANAGED, "type1 domain of container " + handle);
        List<VfioGroup> attached = new ArrayList<>();
        for (VfioGroup vg : c.groups) {
            int ret = attach(domain, vg);
            if (ret != 0) {
                for (VfioGroup done : attached) {
                    k.iommu.detachGroup(domain, done.iommuGroup());
                }
                return k.trace.leave(f, ret, "group {} refused the type1 domain", vg.iommuGroup().id());
            }
            attached.add(vg);
        }
        k.w.iommuDriver(c, type, domain);
        return k.trace.leave(f, 0, "{} backend set; {} group(s) on {}", type, attached.size(), domain);
    }

    /** vfio_iommu_type1.c: vfio_iommu_type1_attach_group(): a new group joins the container's domain. */
    private int type1AttachGroup(VfioContainer c, VfioGroup vg) {
        return attach(c.domain, vg);
    }

    private int attach(Domain domain, VfioGroup vg) {
        Frame f = k.trace.enter("vfio_iommu_type1_attach_group");
        int ret = k.iommu.attachGroup(domain, vg.iommuGroup());
        return k.trace.leave(f, ret, ret == 0 ? "group {} translates through {}" : "group {} not attached",
                vg.iommuGroup().id(), domain);
    }

    /**
     * container.c: vfio_group_detach_container() (6.1): type1 detach (back to the blocking domain),
     * then release the claim (back to the default domain); the last group takes the backend with it.
     */
    void groupDetachContainer(VfioGroup vg) {
        Frame f = k.trace.enter("vfio_group_detach_container");
        VfioContainer c = vg.container;
        IommuGroup ig = vg.iommuGroup();
        if (c.iommuDriver != null) {
            Frame d = k.trace.enter("vfio_iommu_type1_detach_group");
            k.iommu.detachGroup(c.domain, ig);
            k.trace.leaveWith(d, "void", "group {} back on {}", ig.id(), ig.domain);
        }
        k.iommu.releaseDmaOwner(ig);
        k.w.container(vg, null);
        k.w.containerUsers(vg, 0);
        k.w.containerGroups(c, vg, false);
        if (c.iommuDriver != null && c.groups.isEmpty()) {
            k.w.iommuDriver(c, null, null);
            k.trace.leaf("vfio_iommu_type1_release", 0, "container {} has no group left and loses its backend",
                    c.name());
        }
        k.trace.leaveWith(f, "void", "group {} left container {}", ig.id(), c.name());
    }

    /** VFIO_IOMMU_MAP_DMA / UNMAP_DMA: passed to the backend; EINVAL without one. */
    int ioctlDmaMap(String handle, long iova, long size, boolean map) {
        Frame f = k.trace.enter(map ? "vfio_dma_do_map" : "vfio_dma_do_unmap");
        VfioContainer c = containerOf(handle);
        if (c == null) {
            return k.trace.leave(f, -EBADF, "{} is not an open container fd", handle);
        }
        if (c.iommuDriver == null) {
            return k.trace.leave(f, -EINVAL, "container {} has no IOMMU backend", handle);
        }
        return k.trace.leave(f, 0, "{} bytes at IOVA 0x{} {} {}", size, Long.toHexString(iova),
                map ? "mapped in" : "unmapped from", c.domain);
    }

    private VfioContainer containerOf(String handle) {
        Handle h = k.handles.get(handle);
        return h == null ? null : h.container();
    }
}
