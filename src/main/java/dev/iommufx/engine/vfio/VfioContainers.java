package dev.iommufx.engine.vfio;

import static dev.iommufx.engine.Errno.EBADF;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.Domain;
import dev.iommufx.engine.Handle;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.VfioContainer;
import dev.iommufx.engine.VfioGroup;
import dev.iommufx.engine.iommu.IommuCore;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
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
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final IommuCore iommu;

    VfioContainers(KernelState state, StateWriter w, Trace trace, IommuCore iommu) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.iommu = iommu;
    }

    /** container.c: vfio_fops_open(): open /dev/vfio/vfio. */
    int vfioFopsOpen(String handle) {
        Frame f = trace.enter("vfio_fops_open");
        if (!state.isLoaded(VfioModules.CORE)) {
            return trace.leave(f, -ENOENT.code(), "/dev/vfio/vfio does not exist: the {} module is not loaded",
                    VfioModules.CORE);
        }
        if (state.handles().containsKey(handle)) {
            return trace.leave(f, -EBADF.code(), "the scenario already has a handle named {}", handle);
        }
        w.openContainer(handle);
        return trace.leave(f, 0, "container {} open, no IOMMU backend yet", handle);
    }

    /** container.c: vfio_container_attach_group() (6.1): claim DMA ownership, attach if a backend is set. */
    int vfioContainerAttachGroup(VfioContainer c, VfioGroup vg) {
        Frame f = trace.enter("vfio_container_attach_group");
        IommuGroup ig = vg.iommuGroup();
        int ret = iommu.iommuGroupClaimDmaOwner(ig, vg.ownerCookie());
        if (ret != 0) {
            return trace.leave(f, ret, "group {} cannot be claimed", ig.id());
        }
        if (c.iommuDriver() != null) {
            ret = vfioIommuType1AttachGroup(c, vg);
            if (ret != 0) {
                iommu.iommuGroupReleaseDmaOwner(ig);
                return trace.leave(f, ret, "the {} backend refused group {}", c.iommuDriver(), ig.id());
            }
        }
        w.container(vg, c);
        w.containerUsers(vg, 1);
        w.containerGroups(c, vg, true);
        return trace.leave(f, 0, "group {} is owned by {}", ig.id(), vg.ownerCookie());
    }

    /** container.c: vfio_ioctl_set_iommu() (6.1): choose the backend; it attaches every group. */
    int vfioIoctlSetIommu(String handle, String type) {
        Frame f = trace.enter("vfio_ioctl_set_iommu");
        VfioContainer c = containerOf(handle);
        if (c == null) {
            return trace.leave(f, -EBADF.code(), "{} is not an open container fd", handle);
        }
        if (c.groups().isEmpty() || c.iommuDriver() != null) {
            return trace.leave(f, -EINVAL.code(), c.groups().isEmpty() ? "container {} has no group"
                    : "container {} already has a backend", handle);
        }
        if (!TYPE1.contains(type)) {
            return trace.leave(f, -ENODEV.code(), "no IOMMU backend offers {}", type);
        }
        if (!state.isLoaded(VfioModules.TYPE1)) {
            return trace.leave(f, -ENODEV.code(), "no IOMMU backend is registered: the {} module is not loaded",
                    VfioModules.TYPE1);
        }
        Domain domain = state.newDomain(DomainType.UNMANAGED, "type1 domain of container " + handle);
        List<VfioGroup> attached = new ArrayList<>();
        for (VfioGroup vg : c.groups()) {
            int ret = attach(domain, vg);
            if (ret != 0) {
                for (VfioGroup done : attached) {
                    iommu.iommuDetachGroup(domain, done.iommuGroup());
                }
                return trace.leave(f, ret, "group {} refused the type1 domain", vg.iommuGroup().id());
            }
            attached.add(vg);
        }
        w.iommuDriver(c, type, domain);
        return trace.leave(f, 0, "{} backend set; {} group(s) on {}", type, attached.size(), domain);
    }

    /** vfio_iommu_type1.c: vfio_iommu_type1_attach_group(): a new group joins the container's domain. */
    private int vfioIommuType1AttachGroup(VfioContainer c, VfioGroup vg) {
        return attach(c.domain(), vg);
    }

    private int attach(Domain domain, VfioGroup vg) {
        Frame f = trace.enter("vfio_iommu_type1_attach_group");
        int ret = iommu.iommuAttachGroup(domain, vg.iommuGroup());
        return trace.leave(f, ret, ret == 0 ? "group {} translates through {}" : "group {} not attached",
                vg.iommuGroup().id(), domain);
    }

    /**
     * container.c: vfio_group_detach_container() (6.1): type1 detach (back to the blocking domain),
     * then release the claim (back to the default domain); the last group takes the backend with it.
     */
    void vfioGroupDetachContainer(VfioGroup vg) {
        Frame f = trace.enter("vfio_group_detach_container");
        VfioContainer c = vg.container();
        IommuGroup ig = vg.iommuGroup();
        if (c.iommuDriver() != null) {
            Frame d = trace.enter("vfio_iommu_type1_detach_group");
            iommu.iommuDetachGroup(c.domain(), ig);
            trace.leaveWith(d, "void", "group {} back on {}", ig.id(), ig.domain());
        }
        iommu.iommuGroupReleaseDmaOwner(ig);
        w.container(vg, null);
        w.containerUsers(vg, 0);
        w.containerGroups(c, vg, false);
        if (c.iommuDriver() != null && c.groups().isEmpty()) {
            w.iommuDriver(c, null, null);
            trace.leaf("vfio_iommu_type1_release", 0, "container {} has no group left and loses its backend",
                    c.name());
        }
        trace.leaveWith(f, "void", "group {} left container {}", ig.id(), c.name());
    }

    /** VFIO_IOMMU_MAP_DMA / UNMAP_DMA: passed to the backend; EINVAL without one. */
    int ioctlDmaMap(String handle, long iova, long size, boolean map) {
        Frame f = trace.enter(map ? "vfio_dma_do_map" : "vfio_dma_do_unmap");
        VfioContainer c = containerOf(handle);
        if (c == null) {
            return trace.leave(f, -EBADF.code(), "{} is not an open container fd", handle);
        }
        if (c.iommuDriver() == null) {
            return trace.leave(f, -EINVAL.code(), "container {} has no IOMMU backend", handle);
        }
        return trace.leave(f, 0, "{} bytes at IOVA 0x{} {} {}", size, Long.toHexString(iova),
                map ? "mapped in" : "unmapped from", c.domain());
    }

    private VfioContainer containerOf(String handle) {
        Handle h = state.handle(handle);
        return h == null ? null : h.container();
    }
}
