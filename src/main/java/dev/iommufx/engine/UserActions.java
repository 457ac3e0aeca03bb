package dev.iommufx.engine;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.base.DriverCore;
import dev.iommufx.engine.history.Journal;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.engine.vfio.Vfio;
import dev.iommufx.model.BusType;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What a user does in several sysfs writes or ioctls, run as one undoable operation: the same kernel
 * calls in the same order, but if any of them is refused the whole action is unwound, so the machine
 * is left exactly as it was (a user at a shell would have to undo the first steps by hand).
 */
public final class UserActions {
    private final Kernel k;
    private final KernelState state;
    private final Trace trace;
    private final DriverCore core;
    private final Vfio vfio;
    private final Journal journal;

    public UserActions(Kernel kernel) {
        this.k = kernel;
        Subsystems sys = kernel.subsystems();
        this.state = sys.state();
        this.trace = sys.trace();
        this.core = sys.core();
        this.vfio = sys.vfio();
        this.journal = sys.journal();
    }

    /** Unbind from the current driver, {@code driver_override} = the new driver, bind: a drag onto a driver. */
    public OpResult moveToDriver(String device, String driver) {
        Device d = state.presentDevice(device);
        return moveToDriver(device, d == null ? BusType.PCI : d.bus(), driver);
    }

    /**
     * The same onto the driver of that name on {@code bus}: the last write goes to that bus's bind file, so a
     * driver of another bus than the device's refuses it in bind_store() with ENODEV, as the kernel does.
     */
    public OpResult moveToDriver(String device, BusType bus, String driver) {
        return k.run("give " + device + " to " + driver, () -> atomically(() -> {
            Device d = state.presentDevice(device);
            if (d == null) {
                return -ENODEV.code();
            }
            Driver bound = d.sysfsDriver();
            if (bound != null && bound.bus() == bus && bound.name().equals(driver)) {
                return trace.leaf("move", 0, "{} is already bound to {}", device, driver);
            }
            if (d.sysfsDriver() != null) {
                int ret = core.unbindStore(null, device);
                if (ret < 0) {
                    return ret;
                }
                if (trace.pendingOn() != null) {
                    trace.clearPending();
                    return trace.leaf("move", -EBUSY.code(), "{} is open as {}: close it before moving the device",
                            device, String.join(", ", openHandles(d)));
                }
            }
            int ret = core.driverOverrideStore(device, driver);
            return ret < 0 ? ret : core.bindStore(state.driver(bus, driver), device);
        }));
    }

    /**
     * Give a group to a VM: open {@code /dev/vfio/N} and {@code VFIO_GROUP_SET_CONTAINER} into the VM's
     * container (the claim). The group is blocked until the VM's IOMMU is set ({@link #startVm}), or is
     * attached at once if it already is.
     */
    public OpResult giveGroupToVm(int group, String vm) {
        return k.run("give group " + group + " to " + vm, () -> atomically(() -> {
            Handle c = state.handle(vm);
            if (c == null || c.container() == null) {
                return trace.leaf("give", -ENOENT.code(), "there is no VM {}", vm);
            }
            String handle = groupHandle(vm, group);
            int ret = vfio.vfioGroupFopsOpen(group, handle);
            return ret == 0 ? vfio.vfioGroupIoctlSetContainer(handle, vm) : ret;
        }));
    }

    /** Take a group back from its VM: {@code VFIO_GROUP_UNSET_CONTAINER} and close the group fd. */
    public OpResult takeGroupFromVm(int group, String vm) {
        return k.run("take group " + group + " from " + vm, () -> atomically(() -> {
            String handle = groupHandle(vm, group);
            int ret = vfio.vfioGroupIoctlUnsetContainer(handle);
            return ret < 0 ? ret : vfio.close(handle);
        }));
    }

    /** Start a VM: {@code VFIO_SET_IOMMU(TYPE1v2)} on its container attaches its domain to every group. */
    public OpResult startVm(String vm) {
        return k.vfioSetIommu(vm, "type1v2");
    }

    /** Add a VM: open a VFIO container under the VM's name. */
    public OpResult addVm(String vm) {
        return k.vfioOpenContainer(vm);
    }

    /** The name of the group fd a VM holds: "VM1:g8". */
    public static String groupHandle(String vm, int group) {
        return vm + ":g" + group;
    }

    /** Runs the steps; if the last answer is an error, unwinds everything they changed. */
    private int atomically(IntSupplier steps) {
        int mark = journal.mark();
        int ret = steps.getAsInt();
        if (ret < 0) {
            journal.rollbackTo(mark);
            trace.leaf("(unwound)", ret, "the action is undone as a whole; nothing changed");
        }
        return ret;
    }

    private List<String> openHandles(Device d) {
        return state.handles().values().stream().filter(h -> h.device() == d).map(Handle::name).toList();
    }
}
