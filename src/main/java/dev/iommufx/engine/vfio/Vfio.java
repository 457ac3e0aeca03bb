package dev.iommufx.engine.vfio;

import static dev.iommufx.engine.Errno.EBADF;
import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.ENOTTY;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Handle;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.VfioGroup;
import dev.iommufx.engine.iommu.IommuCore;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * VFIO's group and device files, Linux 6.1 {@code drivers/vfio/vfio_main.c} (kernel-model §4).
 * The container and its type1 backend are in {@link VfioContainers}.
 */
public final class Vfio {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final IommuCore iommu;
    private final VfioContainers containers;

    public Vfio(KernelState state, StateWriter w, Trace trace, IommuCore iommu) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.iommu = iommu;
        this.containers = new VfioContainers(state, w, trace, iommu);
    }

    /** vfio_main.c: vfio_register_group_dev() → vfio_group_find_or_alloc() (6.1): creates /dev/vfio/N. */
    public int vfioRegisterGroupDev(Device dev) {
        Frame f = trace.enter("vfio_register_group_dev");
        IommuGroup ig = dev.group();
        if (ig == null) {
            return trace.leave(f, -EINVAL.code(), "{} has no IOMMU group and noiommu mode is off", dev);
        }
        VfioGroup vg = ig.vfioGroup();
        if (vg == null) {
            vg = w.createVfioGroup(ig);
            trace.leaf("vfio_create_group", 0, "/dev/vfio/{} appears", ig.id());
        }
        w.vfioDevices(vg, dev, true);
        return trace.leave(f, 0, "{} is a VFIO device of group {}", dev, ig.id());
    }

    /**
     * vfio_main.c: vfio_unregister_group_dev() (6.1): waits while the device is open
     * ("blocked until released by user"), then leaves the VFIO group; the last device removes the group.
     */
    public void vfioUnregisterGroupDev(Device dev, Runnable then) {
        Frame f = trace.enter("vfio_unregister_group_dev");
        if (dev.openVfioHandles() > 0) {
            trace.log(dev.driver().name() + " " + dev + ": No device request channel registered, blocked until "
                    + "released by user");
            w.pendingRelease(dev, () -> {
                Frame resumed = trace.enter("vfio_unregister_group_dev");
                leaveVfioGroup(dev);
                trace.leaveWith(resumed, "void", "the last fd of {} closed: the blocked unbind completes", dev);
                then.run();
            });
            List<String> holders = deviceHandles(dev);
            if (dev.iommufdContext() != null) {
                holders.add("the cdev of " + dev + " bound to " + dev.iommufdContext());
            }
            trace.pending(String.join(", ", holders));
            trace.leaveWith(f, "blocked", "{} is open as {}; waits until it is closed", dev, trace.pendingOn());
            return;
        }
        leaveVfioGroup(dev);
        trace.leaveWith(f, "void", "{} unregistered from VFIO", dev);
        then.run();
    }

    private void leaveVfioGroup(Device dev) {
        VfioGroup vg = dev.group().vfioGroup();
        w.vfioDevices(vg, dev, false);
        if (vg.devices().isEmpty()) {
            vfioDeviceRemoveGroup(vg);
        }
    }

    /** vfio_main.c: vfio_device_remove_group() (6.1): detach the container, revoke the group. */
    private void vfioDeviceRemoveGroup(VfioGroup vg) {
        Frame f = trace.enter("vfio_device_remove_group");
        if (vg.container() != null) {
            containers.vfioGroupDetachContainer(vg);
        }
        w.alive(vg, false);
        w.vfio(vg.iommuGroup(), null);
        trace.leaveWith(f, "void", "/dev/vfio/{} disappears; an open fd on it now answers ENODEV",
                vg.iommuGroup().id());
    }

    /** vfio_main.c: vfio_group_fops_open() (6.1): no viability check; one opener at a time. */
    public int vfioGroupFopsOpen(int groupId, String handle) {
        Frame f = trace.enter("vfio_group_fops_open");
        IommuGroup ig = state.group(groupId);
        VfioGroup vg = ig == null ? null : ig.vfioGroup();
        if (vg == null) {
            return trace.leave(f, -ENOENT.code(), "/dev/vfio/{} does not exist: no device of group {} is bound to a "
                    + "VFIO driver", groupId, groupId);
        }
        if (vg.openedBy() != null) {
            return trace.leave(f, -EBUSY.code(), "/dev/vfio/{} is already open as {}; VFIO allows one opener",
                    groupId, vg.openedBy());
        }
        if (cdevBound(ig)) {
            return trace.leave(f, -EBUSY.code(), "a device of group {} is bound to iommufd through its cdev "
                    + "(cdev_device_open_cnt)", groupId);
        }
        if (state.handles().containsKey(handle)) {
            return trace.leave(f, -EBADF.code(), "the scenario already has a handle named {}", handle);
        }
        w.openedBy(vg, handle);
        w.putHandle(new Handle(handle, null, vg, null));
        return trace.leave(f, 0, "/dev/vfio/{} open as {}", groupId, handle);
    }

    /** vfio_main.c: vfio_group_ioctl_get_status() (6.1): VIABLE iff no DMA owner yet, or the container is set. */
    public int vfioGroupIoctlGetStatus(String handle) {
        Frame f = trace.enter("vfio_group_ioctl_get_status");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        if (!vg.isAlive()) {
            return trace.leave(f, -ENODEV.code(), "{} is stale: its last VFIO device left", vg);
        }
        List<String> flags = new ArrayList<>(2);
        if (vg.container() != null) {
            flags.add("VIABLE");
            flags.add("CONTAINER_SET");
        } else if (!iommu.iommuGroupDmaOwnerClaimed(vg.iommuGroup())) {
            flags.add("VIABLE");
        }
        trace.returns(List.copyOf(flags));
        return trace.leave(f, 0, flags.isEmpty() ? "not viable: a kernel driver uses the DMA API in group {}"
                : "flags {}", flags.isEmpty() ? vg.iommuGroup().id() : String.join(" | ", flags));
    }

    /** vfio_main.c: vfio_group_ioctl_set_container() (6.1). */
    public int vfioGroupIoctlSetContainer(String handle, String containerHandle) {
        Frame f = trace.enter("vfio_group_ioctl_set_container");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        Handle ch = state.handle(containerHandle);
        if (ch == null) {
            return trace.leave(f, -EBADF.code(), "{} is not an open fd", containerHandle);
        }
        if (vg.container() != null) {
            return trace.leave(f, -EINVAL.code(), "{} is already in {}", vg, vg.container());
        }
        if (!vg.isAlive()) {
            return trace.leave(f, -ENODEV.code(), "{} is stale: its last VFIO device left", vg);
        }
        if (ch.container() == null) {
            return trace.leave(f, -EINVAL.code(), "{} is not a /dev/vfio/vfio container", containerHandle);
        }
        int ret = containers.vfioContainerAttachGroup(ch.container(), vg);
        return trace.leave(f, ret, ret == 0 ? "{} is in {}" : "{} not added to {}", vg, ch.container());
    }

    /** vfio_main.c: vfio_group_ioctl_get_device_fd() → vfio_device_open() (6.1). */
    public int vfioGroupIoctlGetDeviceFd(String handle, String device, String as) {
        Frame f = trace.enter("vfio_group_ioctl_get_device_fd");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        Device dev = state.presentDevice(device);
        if (dev == null || !vg.devices().contains(dev)) {
            return trace.leave(f, -ENODEV.code(), "{} is not a VFIO device of {}", device, vg);
        }
        if (vg.container() == null || vg.container().iommuDriver() == null) {
            return trace.leave(f, -EINVAL.code(), "vfio_device_assign_container(): {} has no container with an IOMMU "
                    + "backend", vg);
        }
        if (state.handles().containsKey(as)) {
            return trace.leave(f, -EBADF.code(), "the scenario already has a handle named {}", as);
        }
        w.containerUsers(vg, vg.containerUsers() + 1);
        w.openCount(dev, dev.openVfioHandles() + 1);
        w.putHandle(new Handle(as, null, vg, dev));
        return trace.leave(f, 0, "{} open as {}", dev, as);
    }

    /** vfio_main.c: vfio_group_ioctl_unset_container() (6.1): EBUSY while device fds are open. */
    public int vfioGroupIoctlUnsetContainer(String handle) {
        Frame f = trace.enter("vfio_group_ioctl_unset_container");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        if (vg.container() == null) {
            return trace.leave(f, -EINVAL.code(), "{} is in no container", vg);
        }
        if (vg.containerUsers() != 1) {
            return trace.leave(f, -EBUSY.code(), "{} device fd(s) of {} are open", vg.containerUsers() - 1, vg);
        }
        containers.vfioGroupDetachContainer(vg);
        return trace.leave(f, 0, "{} left its container; group {} is released", vg, vg.iommuGroup().id());
    }

    public int ioctlDmaMap(String container, long iova, long size, boolean map) {
        return containers.ioctlDmaMap(container, iova, size, map);
    }

    public int vfioFopsOpen(String handle) {
        return containers.vfioFopsOpen(handle);
    }

    public int vfioIoctlSetIommu(String container, String type) {
        return containers.vfioIoctlSetIommu(container, type);
    }

    /** close(2) of a handle: the file's release runs when its last reference goes (6.1). */
    public int close(String handle) {
        Frame f = trace.enter("close");
        Handle h = state.handle(handle);
        if (h == null) {
            return trace.leave(f, -EBADF.code(), "{} is not an open fd", handle);
        }
        w.removeHandle(h);
        if (h.container() != null) {
            w.handleOpen(h.container(), false);
            return trace.leave(f, 0, h.container().groups().isEmpty() ? "container {} freed"
                    : "container {} lives on while its groups hold it", handle);
        }
        if (h.device() != null) {
            vfioDeviceFopsRelease(h);
            return trace.leave(f, 0, "device fd {} closed", handle);
        }
        VfioGroup vg = h.group();
        if (vg.containerUsers() > 1) {
            w.closePending(vg, true);
            return trace.leave(f, 0, "open device fds still hold {}; it is released after the last one", vg);
        }
        vfioGroupFopsRelease(vg);
        return trace.leave(f, 0, "{} closed", vg);
    }

    /** vfio_main.c: vfio_group_fops_release() (6.1): detach the container, forget the opener. */
    private void vfioGroupFopsRelease(VfioGroup vg) {
        Frame f = trace.enter("vfio_group_fops_release");
        if (vg.container() != null) {
            containers.vfioGroupDetachContainer(vg);
        }
        w.openedBy(vg, null);
        w.closePending(vg, false);
        trace.leaveWith(f, "void", "{} is free to open again", vg);
    }

    /** vfio_main.c: vfio_device_fops_release() (6.1): unassign the container, then let a blocked unbind go on. */
    private void vfioDeviceFopsRelease(Handle h) {
        Frame f = trace.enter("vfio_device_fops_release");
        Device dev = h.device();
        VfioGroup vg = h.group();
        w.containerUsers(vg, vg.containerUsers() - 1);
        w.openCount(dev, dev.openVfioHandles() - 1);
        if (vg.closePending() && vg.containerUsers() == 1) {
            vfioGroupFopsRelease(vg);
        }
        String waitingNext = null;
        if (dev.openVfioHandles() == 0 && dev.releasePending()) {
            waitingNext = resumeWaitingRelease(dev, trace, w);
        }
        trace.leaveWith(f, "void", waitingNext == null ? "{} has {} open fd(s) left"
                : "{} has {} open fd(s) left; the release that waited went on, and now waits for " + waitingNext,
                dev, dev.openVfioHandles());
    }

    /**
     * The last close of a device lets the unbind or remove that waited for it go on. That work belongs to the
     * writer that waits, not to this close: if it waits again (for the next VF's user, say), the close itself still
     * returns at once. Returns whom the resumed work waits for now, or null.
     */
    public static String resumeWaitingRelease(Device dev, Trace trace, StateWriter w) {
        w.resumeRelease(dev);
        String next = trace.pendingOn();
        trace.clearPending();
        return next;
    }

    /** group.c: group->cdev_device_open_cnt != 0 (6.12): a device of the group is bound to iommufd through its cdev. */
    private static boolean cdevBound(IommuGroup group) {
        for (Device d : group.devices()) {
            if (d.iommufdContext() != null) {
                return true;
            }
        }
        return false;
    }

    private VfioGroup groupOf(String handle) {
        Handle h = state.handle(handle);
        return h == null || h.container() != null || h.device() != null ? null : h.group();
    }

    private int badGroupHandle(String handle) {
        return state.handles().containsKey(handle) ? -ENOTTY.code() : -EBADF.code();
    }

    private List<String> deviceHandles(Device dev) {
        List<String> names = new ArrayList<>();
        for (Handle h : state.handles().values()) {
            if (h.device() == dev) {
                names.add(h.name());
            }
        }
        return names;
    }
}
