package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBADF;
import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENOENT;

import dev.iommufx.model.DomainType;
import java.util.HashMap;
import java.util.Map;

/**
 * VFIO device cdevs bound to iommufd (newest; {@code drivers/vfio/device_cdev.c}, {@code drivers/vfio/group.c}
 * and {@code drivers/iommu/iommufd/device.c}, answers as the Linux 6.12 records show). Ownership is claimed
 * per device with {@link IommuCore#claimDeviceDmaOwner}, the iommufd context being the cookie (§3.6, §9 S9).
 * A bound cdev holds the device open, so an unbind of its VFIO driver waits for the cdev's close.
 */
final class Iommufd {
    private final Kernel k;
    /** Page tables by "context/name": allocated the first time a step names them. */
    private final Map<String, Domain> hwpts = new HashMap<>();

    Iommufd(Kernel kernel) {
        this.k = kernel;
    }

    /** device_cdev.c: vfio_df_ioctl_bind_iommufd() (6.12): block the group path, open once, then claim. */
    int bind(String devName, String ctx) {
        Frame f = k.trace.enter("vfio_df_ioctl_bind_iommufd");
        if (!k.profile.has(ProfileRule.DEVICE_CLAIMS)) {
            return k.trace.leave(f, -ENOENT, "{} has no /dev/iommu or VFIO device cdevs (iommufd came in 6.2, "
                    + "the cdevs in 6.6)", "Linux " + k.profile.key());
        }
        Device dev = k.presentDevice(devName);
        if (dev == null || dev.group == null || dev.group.vfio == null || !dev.group.vfio.devices.contains(dev)) {
            return k.trace.leave(f, -ENOENT, "{} has no VFIO cdev: it is not bound to a VFIO driver", devName);
        }
        int ret = blockGroup(dev.group.vfio);
        if (ret != 0) {
            return k.trace.leave(f, ret, "the legacy group path is in use");
        }
        if (dev.iommufdCtx != null) {
            return k.trace.leave(f, -EINVAL, "vfio_df_open(): {} is already open through its cdev (bound to {}); "
                    + "a cdev device can only be opened once", dev, dev.iommufdCtx);
        }
        ret = deviceBind(dev, ctx);
        if (ret != 0) {
            return k.trace.leave(f, ret, "not bound; vfio_device_unblock_group() undoes the block");
        }
        k.w.iommufdCtx(dev, ctx);
        k.w.openCount(dev, dev.openCount + 1);
        return k.trace.leave(f, 0, "{} is bound to iommufd context {}", dev, ctx);
    }

    /** group.c: vfio_device_block_group() (6.12): EBUSY while the group's /dev/vfio/N is open. */
    private int blockGroup(VfioGroup vg) {
        if (vg.openedBy != null) {
            return k.trace.leaf("vfio_device_block_group", -EBUSY, "{} is open as {}", vg, vg.openedBy);
        }
        return k.trace.leaf("vfio_device_block_group", 0, "{} may not be opened while a cdev is bound", vg);
    }

    /** iommufd/device.c: iommufd_device_bind() (6.12): the per-device DMA ownership claim. */
    private int deviceBind(Device dev, String ctx) {
        Frame f = k.trace.enter("iommufd_device_bind");
        int ret = k.iommu.claimDeviceDmaOwner(dev, ctx);
        return k.trace.leave(f, ret, ret == 0 ? "{} claimed for {}" : "claim refused", dev, ctx);
    }

    /** device_cdev.c: vfio_df_ioctl_attach_pt() → iommufd_device_attach() (6.12): one page table per group. */
    int attach(String devName, String hwptName) {
        Frame f = k.trace.enter("vfio_df_ioctl_attach_pt");
        if (!k.profile.has(ProfileRule.DEVICE_CLAIMS)) {
            return k.trace.leave(f, -ENOENT, "Linux {} has no iommufd", k.profile.key());
        }
        Device dev = k.presentDevice(devName);
        if (dev == null || dev.iommufdCtx == null) {
            return k.trace.leave(f, -EINVAL, "{} is not bound to an iommufd context", devName);
        }
        String key = dev.iommufdCtx + "/" + hwptName;
        Domain known = hwpts.get(key);
        if (known != null && dev.iommufdHwpt == known) {
            return k.trace.leave(f, 0, "{} is already attached to {}", dev, known);
        }
        Domain groupHwpt = attachedHwpt(dev.group);
        if (dev.iommufdHwpt == null && groupHwpt != null && groupHwpt != known) {
            return k.trace.leave(f, -EINVAL, "iommufd_device_do_attach(): group {} is attached to {}; its devices "
                    + "share one page table", dev.group.id(), groupHwpt);
        }
        Domain hwpt = hwpts.computeIfAbsent(key,
                x -> k.newDomain(DomainType.UNMANAGED, "iommufd page table " + hwptName + " of " + dev.iommufdCtx));
        if (dev.iommufdHwpt != null) {
            return replace(f, dev, hwpt);
        }
        if (groupHwpt == null) {
            int ret = k.iommu.attachGroup(hwpt, dev.group);
            if (ret != 0) {
                return k.trace.leave(f, ret, "group {} refused {}", dev.group.id(), hwpt);
            }
        }
        k.w.iommufdHwpt(dev, hwpt);
        return k.trace.leave(f, 0, "{} translates through {}", dev, hwpt);
    }

    /**
     * iommufd/device.c: iommufd_device_replace() (6.12): an attached device moves to another page table, and
     * with it every attached device of its group (iommu_group_replace_domain()).
     */
    private int replace(Frame f, Device dev, Domain hwpt) {
        Frame r = k.trace.enter("iommufd_device_replace");
        k.w.domain(dev.group, hwpt);
        k.trace.leaf("iommu_group_replace_domain", 0, "group {} moves from {} to {}", dev.group.id(), dev.iommufdHwpt,
                hwpt);
        for (Device d : dev.group.devices) {
            if (d.iommufdHwpt != null) {
                k.w.iommufdHwpt(d, hwpt);
            }
        }
        k.trace.leave(r, 0, "");
        return k.trace.leave(f, 0, "{} and its attached siblings translate through {}", dev, hwpt);
    }

    /** The page table the group's attached devices share, or null. */
    private static Domain attachedHwpt(IommuGroup group) {
        for (Device d : group.devices) {
            if (d.iommufdHwpt != null) {
                return d.iommufdHwpt;
            }
        }
        return null;
    }

    /**
     * device_cdev.c: vfio_device_fops_cdev_release() → vfio_df_unbind_iommufd() (6.12): detach (the last
     * attached device of the group detaches it), release the device's claim, unblock the group path.
     */
    int unbind(String devName) {
        Frame f = k.trace.enter("vfio_device_fops_cdev_release");
        if (!k.profile.has(ProfileRule.DEVICE_CLAIMS)) {
            return k.trace.leave(f, -ENOENT, "Linux {} has no iommufd", k.profile.key());
        }
        Device dev = k.presentDevice(devName);
        if (dev == null || dev.iommufdCtx == null) {
            return k.trace.leave(f, -EBADF, "{} has no cdev fd bound to iommufd", devName);
        }
        if (dev.iommufdHwpt != null) {
            detach(dev);
        }
        Frame unbind = k.trace.enter("iommufd_device_unbind");
        k.iommu.releaseDeviceDmaOwner(dev);
        k.trace.leaveWith(unbind, "void", "{} unbound from {}", dev, dev.iommufdCtx);
        k.w.iommufdCtx(dev, null);
        k.w.openCount(dev, dev.openCount - 1);
        k.trace.leaf("vfio_device_unblock_group", 0, "{} may be opened again once no cdev is bound", dev.group.vfio);
        if (dev.openCount == 0 && dev.pendingRelease != null) {
            Runnable pending = dev.pendingRelease;
            k.w.pendingRelease(dev, null);
            pending.run();
        }
        return k.trace.leave(f, 0, "cdev of {} closed", dev);
    }

    /** iommufd/device.c: iommufd_device_detach() (6.12). */
    private void detach(Device dev) {
        Frame f = k.trace.enter("iommufd_device_detach");
        Domain hwpt = dev.iommufdHwpt;
        k.w.iommufdHwpt(dev, null);
        if (attachedHwpt(dev.group) == null) {
            k.iommu.detachGroup(hwpt, dev.group);
        }
        k.trace.leaveWith(f, "void", "{} no longer uses {}", dev, hwpt);
    }

    /** group.c: group->cdev_device_open_cnt != 0 (6.12): a device of the group is bound through its cdev. */
    static boolean cdevBound(IommuGroup group) {
        for (Device d : group.devices) {
            if (d.iommufdCtx != null) {
                return true;
            }
        }
        return false;
    }
}
