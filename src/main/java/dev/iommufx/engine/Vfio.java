package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBADF;
import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENODEV;
import static dev.iommufx.engine.Err.ENOENT;
import static dev.iommufx.engine.Err.ENOTTY;

import java.util.ArrayList;
import java.util.List;

/**
 * VFIO's group and device files, Linux 6.1 {@code drivers/vfio/vfio_main.c} (kernel-model §4).
 * The container and its type1 backend are in {@link VfioContainers}.
 */
final class Vfio {
    private final Kernel k;
    final VfioContainers containers;

    Vfio(Kernel kernel) {
        this.k = kernel;
        this.containers = new VfioContainers(kernel);
    }

    /** vfio_main.c: vfio_register_group_dev() → vfio_group_find_or_alloc() (6.1): creates /dev/vfio/N. */
    int registerGroupDev(Device dev) {
        Frame f = k.trace.enter("vfio_register_group_dev");
        IommuGroup ig = dev.group;
        if (ig == null) {
            return k.trace.leave(f, -EINVAL, "{} has no IOMMU group and noiommu mode is off", dev);
        }
        VfioGroup vg = ig.vfio;
        if (vg == null) {
            vg = new VfioGroup(ig);
            k.w.vfio(ig, vg);
            k.trace.leaf("vfio_create_group", 0, "/dev/vfio/{} appears", ig.id());
        }
        k.w.vfioDevices(vg, dev, true);
        return k.trace.leave(f, 0, "{} is a VFIO device of group {}", dev, ig.id());
    }

    /**
     * vfio_main.c: vfio_unregister_group_dev() (6.1): waits while the device is open
     * ("blocked until released by user"), then leaves the VFIO group; the last device removes the group.
     */
    void unregisterGroupDev(Device dev, Runnable then) {
        Frame f = k.trace.enter("vfio_unregister_group_dev");
        if (dev.openCount > 0) {
            k.trace.log(dev.driver.name() + " " + dev + ": No device request channel registered, blocked until "
                    + "released by user");
            k.w.pendingRelease(dev, () -> {
                Frame resumed = k.trace.enter("vfio_unregister_group_dev");
                leaveVfioGroup(dev);
                k.trace.leaveWith(resumed, "void", "the last fd of {} closed: the blocked unbind completes", dev);
                then.run();
            });
            List<String> holders = deviceHandles(dev);
            if (dev.iommufdCtx != null) {
                holders.add("the cdev of " + dev + " bound to " + dev.iommufdCtx);
            }
            k.pendingOn = String.join(", ", holders);
            k.trace.leaveWith(f, "blocked", "{} is open as {}; waits until it is closed", dev, k.pendingOn);
            return;
        }
        leaveVfioGroup(dev);
        k.trace.leaveWith(f, "void", "{} unregistered from VFIO", dev);
        then.run();
    }

    private void leaveVfioGroup(Device dev) {
        VfioGroup vg = dev.group.vfio;
        k.w.vfioDevices(vg, dev, false);
        if (vg.devices.isEmpty()) {
            deviceRemoveGroup(vg);
        }
    }

    /** vfio_main.c: vfio_device_remove_group() (6.1): detach the container, revoke the group. */
    private void deviceRemoveGroup(VfioGroup vg) {
        Frame f = k.trace.enter("vfio_device_remove_group");
        if (vg.container != null) {
            containers.groupDetachContainer(vg);
        }
        k.w.alive(vg, false);
        k.w.vfio(vg.iommuGroup(), null);
        k.trace.leaveWith(f, "void", "/dev/vfio/{} disappears; an open fd on it now answers ENODEV",
                vg.iommuGroup().id());
    }

    /** vfio_main.c: vfio_group_fops_open() (6.1): no viability check; one opener at a time. */
    int groupFopsOpen(int groupId, String handle) {
        Frame f = k.trace.enter("vfio_group_fops_open");
        IommuGroup ig = k.groupOrNull(groupId);
        VfioGroup vg = ig == null ? null : ig.vfio;
        if (vg == null) {
            return k.trace.leave(f, -ENOENT, "/dev/vfio/{} does not exist: no device of group {} is bound to a "
                    + "VFIO driver", groupId, groupId);
        }
        if (vg.openedBy != null) {
            return k.trace.leave(f, -EBUSY, "/dev/vfio/{} is already open as {}; VFIO allows one opener",
                    groupId, vg.openedBy);
        }
        if (Iommufd.cdevBound(ig)) {
            return k.trace.leave(f, -EBUSY, "a device of group {} is bound to iommufd through its cdev "
                    + "(cdev_device_open_cnt)", groupId);
        }
        if (k.handles.containsKey(handle)) {
            return k.trace.leave(f, -EBADF, "the scenario already has a handle named {}", handle);
        }
        k.w.openedBy(vg, handle);
        k.w.putHandle(k.handles, new Handle(handle, null, vg, null));
        return k.trace.leave(f, 0, "/dev/vfio/{} open as {}", groupId, handle);
    }

    /** vfio_main.c: vfio_group_ioctl_get_status() (6.1): VIABLE iff no DMA owner yet, or the container is set. */
    int groupIoctlGetStatus(String handle) {
        Frame f = k.trace.enter("vfio_group_ioctl_get_status");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return k.trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        if (!vg.alive) {
            return k.trace.leave(f, -ENODEV, "{} is stale: its last VFIO device left", vg);
        }
        List<String> flags = new ArrayList<>(2);
        if (vg.container != null) {
            flags.add("VIABLE");
            flags.add("CONTAINER_SET");
        } else if (!k.iommu.dmaOwnerClaimed(vg.iommuGroup())) {
            flags.add("VIABLE");
        }
        k.value = List.copyOf(flags);
        return k.trace.leave(f, 0, flags.isEmpty() ? "not viable: a kernel driver uses the DMA API in group {}"
                : "flags {}", flags.isEmpty() ? vg.iommuGroup().id() : String.join(" | ", flags));
    }

    /** vfio_main.c: vfio_group_ioctl_set_container() (6.1). */
    int groupIoctlSetContainer(String handle, String containerHandle) {
        Frame f = k.trace.enter("vfio_group_ioctl_set_container");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return k.trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        Handle ch = k.handles.get(containerHandle);
        if (ch == null) {
            return k.trace.leave(f, -EBADF, "{} is not an open fd", containerHandle);
        }
        if (vg.container != null) {
            return k.trace.leave(f, -EINVAL, "{} is already in {}", vg, vg.container);
        }
        if (!vg.alive) {
            return k.trace.leave(f, -ENODEV, "{} is stale: its last VFIO device left", vg);
        }
        if (ch.container() == null) {
            return k.trace.leave(f, -EINVAL, "{} is not a /dev/vfio/vfio container", containerHandle);
        }
        int ret = containers.containerAttachGroup(ch.container(), vg);
        return k.trace.leave(f, ret, ret == 0 ? "{} is in {}" : "{} not added to {}", vg, ch.container());
    }

    /** vfio_main.c: vfio_group_ioctl_get_device_fd() → vfio_device_open() (6.1). */
    int groupIoctlGetDeviceFd(String handle, String device, String as) {
        Frame f = k.trace.enter("vfio_group_ioctl_get_device_fd");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return k.trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        Device dev = k.presentDevice(device);
        if (dev == null || !vg.devices.contains(dev)) {
            return k.trace.leave(f, -ENODEV, "{} is not a VFIO device of {}", device, vg);
        }
        if (vg.container == null || vg.container.iommuDriver == null) {
            return k.trace.leave(f, -EINVAL, "vfio_device_assign_container(): {} has no container with an IOMMU "
                    + "backend", vg);
        }
        if (k.handles.containsKey(as)) {
            return k.trace.leave(f, -EBADF, "the scenario already has a handle named {}", as);
        }
        k.w.containerUsers(vg, vg.containerUsers + 1);
        k.w.openCount(dev, dev.openCount + 1);
        k.w.putHandle(k.handles, new Handle(as, null, vg, dev));
        return k.trace.leave(f, 0, "{} open as {}", dev, as);
    }

    /** vfio_main.c: vfio_group_ioctl_unset_container() (6.1): EBUSY while device fds are open. */
    int groupIoctlUnsetContainer(String handle) {
        Frame f = k.trace.enter("vfio_group_ioctl_unset_container");
        VfioGroup vg = groupOf(handle);
        if (vg == null) {
            return k.trace.leave(f, badGroupHandle(handle), "{} is not an open VFIO group fd", handle);
        }
        if (vg.container == null) {
            return k.trace.leave(f, -EINVAL, "{} is in no container", vg);
        }
        if (vg.containerUsers != 1) {
            return k.trace.leave(f, -EBUSY, "{} device fd(s) of {} are open", vg.containerUsers - 1, vg);
        }
        containers.groupDetachContainer(vg);
        return k.trace.leave(f, 0, "{} left its container; group {} is released", vg, vg.iommuGroup().id());
    }

    int ioctlDmaMap(String container, long iova, long size, boolean map) {
        return containers.ioctlDmaMap(container, iova, size, map);
    }

    int openContainer(String handle) {
        return containers.openContainer(handle);
    }

    int ioctlSetIommu(String container, String type) {
        return containers.ioctlSetIommu(container, type);
    }

    /** close(2) of a handle: the file's release runs when its last reference goes (6.1). */
    int close(String handle) {
        Frame f = k.trace.enter("close");
        Handle h = k.handles.get(handle);
        if (h == null) {
            return k.trace.leave(f, -EBADF, "{} is not an open fd", handle);
        }
        k.w.removeHandle(k.handles, h);
        if (h.container() != null) {
            k.w.handleOpen(h.container(), false);
            return k.trace.leave(f, 0, h.container().groups.isEmpty() ? "container {} freed"
                    : "container {} lives on while its groups hold it", handle);
        }
        if (h.device() != null) {
            deviceFopsRelease(h);
            return k.trace.leave(f, 0, "device fd {} closed", handle);
        }
        VfioGroup vg = h.group();
        if (vg.containerUsers > 1) {
            k.w.closePending(vg, true);
            return k.trace.leave(f, 0, "open device fds still hold {}; it is released after the last one", vg);
        }
        groupFopsRelease(vg);
        return k.trace.leave(f, 0, "{} closed", vg);
    }

    /** vfio_main.c: vfio_group_fops_release() (6.1): detach the container, forget the opener. */
    private void groupFopsRelease(VfioGroup vg) {
        Frame f = k.trace.enter("vfio_group_fops_release");
        if (vg.container != null) {
            containers.groupDetachContainer(vg);
        }
        k.w.openedBy(vg, null);
        k.w.closePending(vg, false);
        k.trace.leaveWith(f, "void", "{} is free to open again", vg);
    }

    /** vfio_main.c: vfio_device_fops_release() (6.1): unassign the container, then let a blocked unbind go on. */
    private void deviceFopsRelease(Handle h) {
        Frame f = k.trace.enter("vfio_device_fops_release");
        Device dev = h.device();
        VfioGroup vg = h.group();
        k.w.containerUsers(vg, vg.containerUsers - 1);
        k.w.openCount(dev, dev.openCount - 1);
        if (vg.closePending && vg.containerUsers == 1) {
            groupFopsRelease(vg);
        }
        if (dev.openCount == 0 && dev.pendingRelease != null) {
            Runnable pending = dev.pendingRelease;
            k.w.pendingRelease(dev, null);
            pending.run();
        }
        k.trace.leaveWith(f, "void", "{} has {} open fd(s) left", dev, dev.openCount);
    }

    private VfioGroup groupOf(String handle) {
        Handle h = k.handles.get(handle);
        return h == null || h.container() != null || h.device() != null ? null : h.group();
    }

    private int badGroupHandle(String handle) {
        return k.handles.containsKey(handle) ? -ENOTTY : -EBADF;
    }

    private List<String> deviceHandles(Device dev) {
        List<String> names = new ArrayList<>();
        for (Handle h : k.handles.values()) {
            if (h.device() == dev) {
                names.add(h.name());
            }
        }
        return names;
    }
}
