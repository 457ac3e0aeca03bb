package dev.iommufx.engine.iommufd;

import static dev.iommufx.engine.Errno.EBADF;
import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Domain;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.VfioGroup;
import dev.iommufx.engine.iommu.IommuCore;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.engine.vfio.Vfio;
import dev.iommufx.model.DomainType;
import java.util.HashMap;
import java.util.Map;

/**
 * VFIO device cdevs bound to iommufd (newest; {@code drivers/vfio/device_cdev.c}, {@code drivers/vfio/group.c}
 * and {@code drivers/iommu/iommufd/device.c}, answers as the Linux 6.12 records show). Ownership is claimed
 * per device with {@link IommuCore#iommuDeviceClaimDmaOwner}, the iommufd context being the cookie (§3.6, §9 S9).
 * A bound cdev holds the device open, so an unbind of its VFIO driver waits for the cdev's close.
 */
public final class Iommufd {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final IommuCore iommu;
    /** Page tables by "context/name": allocated the first time a step names them. */
    private final Map<String, Domain> hwpts = new HashMap<>();

    public Iommufd(KernelState state, StateWriter w, Trace trace, IommuCore iommu) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.iommu = iommu;
    }

    /** device_cdev.c: vfio_df_ioctl_bind_iommufd() (6.12): block the group path, open once, then claim. */
    public int vfioDfIoctlBindIommufd(String devName, String ctx) {
        Frame f = trace.enter("vfio_df_ioctl_bind_iommufd");
        if (!state.profile().has(ProfileRule.DEVICE_CLAIMS)) {
            return trace.leave(f, -ENOENT.code(), "{} has no /dev/iommu or VFIO device cdevs (iommufd came in 6.2, "
                    + "the cdevs in 6.6)", "Linux " + state.profile().key());
        }
        Device dev = state.presentDevice(devName);
        VfioGroup vg = dev == null || dev.group() == null ? null : dev.group().vfioGroup();
        if (vg == null || !vg.devices().contains(dev)) {
            return trace.leave(f, -ENOENT.code(), "{} has no VFIO cdev: it is not bound to a VFIO driver", devName);
        }
        int ret = vfioDeviceBlockGroup(vg);
        if (ret != 0) {
            return trace.leave(f, ret, "the legacy group path is in use");
        }
        if (dev.iommufdContext() != null) {
            return trace.leave(f, -EINVAL.code(), "vfio_df_open(): {} is already open through its cdev (bound to {}); "
                    + "a cdev device can only be opened once", dev, dev.iommufdContext());
        }
        ret = iommufdDeviceBind(dev, ctx);
        if (ret != 0) {
            return trace.leave(f, ret, "not bound; vfio_device_unblock_group() undoes the block");
        }
        w.iommufdCtx(dev, ctx);
        w.openCount(dev, dev.openVfioHandles() + 1);
        // the first open enables the device: vfio_pci_core_enable() resets it, and Linux 7.2 logs the reset
        trace.leaf("vfio_pci_core_enable", 0, "the first open of {} resets it (pci_try_reset_function())", dev);
        trace.log(dev.driver().name() + " " + dev + ": resetting");
        trace.log(dev.driver().name() + " " + dev + ": reset done");
        return trace.leave(f, 0, "{} is bound to iommufd context {}", dev, ctx);
    }

    /** group.c: vfio_device_block_group() (6.12): EBUSY while the group's /dev/vfio/N is open. */
    private int vfioDeviceBlockGroup(VfioGroup vg) {
        if (vg.openedBy() != null) {
            return trace.leaf("vfio_device_block_group", -EBUSY.code(), "{} is open as {}", vg, vg.openedBy());
        }
        return trace.leaf("vfio_device_block_group", 0, "{} may not be opened while a cdev is bound", vg);
    }

    /** iommufd/device.c: iommufd_device_bind() (6.12): the per-device DMA ownership claim. */
    private int iommufdDeviceBind(Device dev, String ctx) {
        Frame f = trace.enter("iommufd_device_bind");
        int ret = iommu.iommuDeviceClaimDmaOwner(dev, ctx);
        return trace.leave(f, ret, ret == 0 ? "{} claimed for {}" : "claim refused", dev, ctx);
    }

    /** device_cdev.c: vfio_df_ioctl_attach_pt() → iommufd_device_attach() (6.12): one page table per group. */
    public int vfioDfIoctlAttachPt(String devName, String hwptName) {
        Frame f = trace.enter("vfio_df_ioctl_attach_pt");
        if (!state.profile().has(ProfileRule.DEVICE_CLAIMS)) {
            return trace.leave(f, -ENOENT.code(), "Linux {} has no iommufd", state.profile().key());
        }
        Device dev = state.presentDevice(devName);
        if (dev == null || dev.iommufdContext() == null) {
            return trace.leave(f, -EINVAL.code(), "{} is not bound to an iommufd context", devName);
        }
        String key = dev.iommufdContext() + "/" + hwptName;
        Domain known = hwpts.get(key);
        if (known != null && dev.iommufdHwpt() == known) {
            return trace.leave(f, 0, "{} is already attached to {}", dev, known);
        }
        Domain groupHwpt = attachedHwpt(dev.group());
        if (dev.iommufdHwpt() == null && groupHwpt != null && groupHwpt != known) {
            return trace.leave(f, -EINVAL.code(), "iommufd_device_do_attach(): group {} is attached to {}; its devices "
                    + "share one page table", dev.group().id(), groupHwpt);
        }
        Domain hwpt = hwpts.computeIfAbsent(key,
                x -> state.newDomain(DomainType.UNMANAGED,
                        "iommufd page table " + hwptName + " of " + dev.iommufdContext()));
        if (dev.iommufdHwpt() != null) {
            return iommufdDeviceReplace(f, dev, hwpt);
        }
        if (groupHwpt == null) {
            int ret = iommu.iommuAttachGroup(hwpt, dev.group());
            if (ret != 0) {
                return trace.leave(f, ret, "group {} refused {}", dev.group().id(), hwpt);
            }
        }
        w.iommufdHwpt(dev, hwpt);
        return trace.leave(f, 0, "{} translates through {}", dev, hwpt);
    }

    /**
     * iommufd/device.c: iommufd_device_replace() (6.12): an attached device moves to another page table, and
     * with it every attached device of its group (iommu_group_replace_domain()).
     */
    private int iommufdDeviceReplace(Frame f, Device dev, Domain hwpt) {
        Frame r = trace.enter("iommufd_device_replace");
        iommu.iommuGroupReplaceDomain(dev.group(), hwpt);
        for (Device d : dev.group().devices()) {
            if (d.iommufdHwpt() != null) {
                w.iommufdHwpt(d, hwpt);
            }
        }
        trace.leave(r, 0, "");
        return trace.leave(f, 0, "{} and its attached siblings translate through {}", dev, hwpt);
    }

    /** The page table the group's attached devices share, or null. */
    private static Domain attachedHwpt(IommuGroup group) {
        for (Device d : group.devices()) {
            if (d.iommufdHwpt() != null) {
                return d.iommufdHwpt();
            }
        }
        return null;
    }

    /**
     * device_cdev.c: vfio_device_fops_cdev_release() → vfio_df_unbind_iommufd() (6.12): detach (the last
     * attached device of the group detaches it), release the device's claim, unblock the group path.
     */
    public int vfioDeviceFopsCdevRelease(String devName) {
        Frame f = trace.enter("vfio_device_fops_cdev_release");
        if (!state.profile().has(ProfileRule.DEVICE_CLAIMS)) {
            return trace.leave(f, -ENOENT.code(), "Linux {} has no iommufd", state.profile().key());
        }
        Device dev = state.presentDevice(devName);
        if (dev == null || dev.iommufdContext() == null) {
            return trace.leave(f, -EBADF.code(), "{} has no cdev fd bound to iommufd", devName);
        }
        if (dev.iommufdHwpt() != null) {
            iommufdDeviceDetach(dev);
        }
        Frame unbind = trace.enter("iommufd_device_unbind");
        iommu.iommuDeviceReleaseDmaOwner(dev);
        trace.leaveWith(unbind, "void", "{} unbound from {}", dev, dev.iommufdContext());
        w.iommufdCtx(dev, null);
        w.openCount(dev, dev.openVfioHandles() - 1);
        trace.leaf("vfio_device_unblock_group", 0, "{} may be opened again once no cdev is bound",
                dev.group().vfioGroup());
        String waitingNext = null;
        if (dev.openVfioHandles() == 0 && dev.releasePending()) {
            waitingNext = Vfio.resumeWaitingRelease(dev, trace, w);
        }
        return trace.leave(f, 0, waitingNext == null ? "cdev of {} closed"
                : "cdev of {} closed; the release that waited went on, and now waits for " + waitingNext, dev);
    }

    /** iommufd/device.c: iommufd_device_detach() (6.12). */
    private void iommufdDeviceDetach(Device dev) {
        Frame f = trace.enter("iommufd_device_detach");
        Domain hwpt = dev.iommufdHwpt();
        w.iommufdHwpt(dev, null);
        if (attachedHwpt(dev.group()) == null) {
            iommu.iommuDetachGroup(hwpt, dev.group());
        }
        trace.leaveWith(f, "void", "{} no longer uses {}", dev, hwpt);
    }
}
