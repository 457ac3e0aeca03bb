package dev.iommufx.engine.base;

import static dev.iommufx.engine.Errno.EAGAIN;
import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.EPROBE_DEFER;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.pci.BusDma;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;

/**
 * The driver core's bind and unbind paths: {@code drivers/base/bus.c} (the sysfs files) and
 * {@code drivers/base/dd.c} (probe and release), Linux 6.1 (kernel-model §2).
 * Ownership is taken in the bus's {@code dma_configure} before the driver's probe and given back in
 * {@code dma_cleanup} after its remove; every failure after {@code dma_configure} runs {@code dma_cleanup}.
 */
public final class DriverCore {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final BusDma busDma;
    private final BusProbe busProbe;

    public DriverCore(KernelState state, StateWriter w, Trace trace, BusDma busDma, BusProbe busProbe) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.busDma = busDma;
        this.busProbe = busProbe;
    }

    /** bus.c: bind_store() (6.1): ENODEV unless the driver matches; then device_driver_attach(). */
    public int bindStore(Driver drv, String devName) {
        Frame f = trace.enter("bind_store");
        if (drv == null) {
            return trace.leave(f, -ENOENT.code(), "no such driver: its bind file does not exist");
        }
        Device dev = state.presentDevice(devName);
        if (dev == null || dev.bus() != drv.bus()) {
            return trace.leave(f, -ENODEV.code(), "no device {} on the {} bus", devName, drv.bus().sysfsName());
        }
        if (!driverMatchDevice(drv, dev)) {
            return trace.leave(f, -ENODEV.code(), "{} does not match {}", drv, dev);
        }
        int ret = deviceDriverAttach(drv, dev);
        return trace.leave(f, ret, ret == 0 ? "{} bound to {}" : "{} not bound to {}", dev, drv);
    }

    /** bus.c: unbind_store() (6.1): ENODEV unless the device is bound to exactly that driver. */
    public int unbindStore(Driver drv, String devName) {
        Frame f = trace.enter("unbind_store");
        Device dev = state.presentDevice(devName);
        if (dev == null) {
            return trace.leave(f, -ENODEV.code(), "no device {}", devName);
        }
        if (drv == null) {
            drv = dev.sysfsDriver();
            if (drv == null) {
                return trace.leave(f, -ENODEV.code(), "{} has no driver, so there is no unbind file to write", dev);
            }
        }
        if (deviceLocked(dev)) {
            return busyWhileLocked(f, dev);
        }
        if (dev.driver() != drv) {
            return trace.leave(f, -ENODEV.code(), "{} is not bound to {}", dev, drv);
        }
        releaseDriver(dev, null);
        return trace.leave(f, 0, trace.pendingOn() != null ? "blocked until {} is closed" : "{} unbound",
                trace.pendingOn() != null ? trace.pendingOn() : dev);
    }

    /** driver_override_store() and drivers/base/driver.c: driver_set_override() (6.1): never unbinds. */
    public int driverOverrideStore(String devName, String driverName) {
        Frame f = trace.enter("driver_override_store");
        Device dev = state.presentDevice(devName);
        if (dev == null) {
            return trace.leave(f, -ENOENT.code(), "no device {}: its driver_override file does not exist", devName);
        }
        if (deviceLocked(dev)) {
            return busyWhileLocked(f, dev);
        }
        if (driverName != null && driverName.length() >= 4095) {
            return trace.leave(f, -EINVAL.code(), "driver_override must be shorter than a page");
        }
        // driver_set_override(): the value ends at the first newline; nothing before it clears the override
        int newline = driverName == null ? -1 : driverName.indexOf('\n');
        String value = newline < 0 ? driverName : driverName.substring(0, newline);
        value = value == null || value.isEmpty() ? null : value;
        w.driverOverride(dev, value);
        return trace.leave(f, 0, value == null ? "driver_override of {} cleared"
                : "{} will only bind to " + value + "; the current binding is untouched", dev);
    }

    /** bus.c: drivers_probe_store() (6.1): EINVAL when device_attach() returned an error. */
    public int driversProbeStore(String devName) {
        Frame f = trace.enter("drivers_probe_store");
        Device dev = state.presentDevice(devName);
        if (dev == null) {
            return trace.leave(f, -ENODEV.code(), "no device {}", devName);
        }
        if (dev.driver() != null) {
            return trace.leave(f, 0, "{} already has a driver; bus_rescan_devices_helper() skips it", dev);
        }
        int ret = deviceAttach(dev);
        if (ret < 0) {
            return trace.leave(f, -EINVAL.code(), "device_attach() failed with {}", Errno.of(ret));
        }
        return trace.leave(f, 0, ret == 1 ? "{} bound to {}" : "no driver took {}", dev, dev.driver());
    }

    /**
     * dd.c: device_attach() / __device_attach() (6.1): try each matching driver in registration order.
     * Returns 1 if bound, 0 if no driver took it, or the negative error that stopped the walk.
     */
    public int deviceAttach(Device dev) {
        Frame f = trace.enter("device_attach");
        if (dev.driver() != null) {
            return trace.leave(f, 0, "{} is already bound", dev);
        }
        for (Driver drv : state.drivers()) {
            if (drv.bus() != dev.bus() || !driverMatchDevice(drv, dev)) {
                continue;
            }
            int ret = driverProbeDevice(drv, dev);
            if (ret < 0) {
                // __device_attach_driver(): a negative error (dma_configure) stops the walk
                return trace.leave(f, ret, "{} refused by {}; later drivers are not tried", dev, drv);
            }
            if (ret == 0) {
                trace.leaveWith(f, "1", "{} bound to {}", dev, drv);
                return 1;
            }
        }
        trace.leaveWith(f, "0", "no driver bound {}", dev);
        return 0;
    }

    /** dd.c: device_driver_attach() (6.1): probe errors become negative, EPROBE_DEFER becomes EAGAIN. */
    int deviceDriverAttach(Driver drv, Device dev) {
        Frame f = trace.enter("device_driver_attach");
        int ret = driverProbeDevice(drv, dev);
        if (ret > 0) {
            ret = -ret;
        }
        if (ret == -EPROBE_DEFER.code()) {
            ret = -EAGAIN.code();
        }
        return trace.leave(f, ret, ret == 0 ? "bound" : "not bound");
    }

    /** dd.c: __driver_probe_device() (6.1): EBUSY if the device already has a driver. */
    private int driverProbeDevice(Driver drv, Device dev) {
        Frame f = trace.enter("__driver_probe_device");
        if (dev.driver() != null) {
            return trace.leave(f, -EBUSY.code(), "{} already has driver {}", dev, dev.driver());
        }
        int ret = reallyProbe(dev, drv);
        return trace.leave(f, ret, ret == 0 ? "probed" : "probe failed");
    }

    /** dd.c: really_probe() (6.1): dma_configure before probe; unwinding mirrors the setup. */
    public int reallyProbe(Device dev, Driver drv) {
        Frame f = trace.enter("really_probe");
        w.driver(dev, drv);
        int ret = probeDmaConfigure(dev);
        if (ret != 0) {
            return trace.leave(f, ret, "{} refused at dma_configure; dma_cleanup not needed", dev);
        }
        ret = probeCallDriver(dev, drv);
        if (ret != 0) {
            return trace.leave(f, ret, drv.driverManagedDma() ? "{} probe of {} failed; dma_cleanup ran with "
                    + "nothing to undo (driver_managed_dma)" : "{} probe of {} failed; its DMA-API use was given back",
                    drv, dev);
        }
        return trace.leave(f, 0, "{} bound to {}", dev, drv);
    }

    /** really_probe(), from dma_configure to before the driver's probe: pinctrl_bind_failed unwinds a refusal. */
    int probeDmaConfigure(Device dev) {
        int ret = busDma.dmaConfigure(dev);
        if (ret != 0) {
            // pinctrl_bind_failed: dma_cleanup is not called because dma_configure failed
            unbindCleanup(dev);
        }
        return ret;
    }

    /** really_probe(), from driver_sysfs_add() to driver_bound(); a failed probe gives back what dma_configure took. */
    int probeCallDriver(Device dev, Driver drv) {
        w.driverLinked(dev, true); // driver_sysfs_add()
        int ret = busProbe.callDriverProbe(dev, drv);
        if (ret != 0) {
            w.driverLinked(dev, false); // probe_failed: driver_sysfs_remove()
            busDma.dmaCleanup(dev); // sysfs_failed: dma_cleanup()
            unbindCleanup(dev);
            return -ret; // probe errors go up as positive values
        }
        w.bound(drv, dev, true); // driver_bound()
        return 0;
    }

    /** dd.c: device_unbind_cleanup(): dev->driver = NULL. */
    private void unbindCleanup(Device dev) {
        trace.leaf("device_unbind_cleanup", 0, "{}->driver = NULL", dev);
        w.driver(dev, null);
    }

    /**
     * dd.c: __device_release_driver() (6.1): sysfs link first, then the driver's remove (which may block
     * in VFIO until the user closes the device), then dma_cleanup, then dev->driver = NULL.
     * {@code then} runs once the release has finished, now or when it unblocks.
     */
    public void releaseDriver(Device dev, Runnable then) {
        Frame f = trace.enter("__device_release_driver");
        if (dev.driver() == null) {
            trace.leaveWith(f, "void", "{} has no driver", dev);
            if (then != null) {
                then.run();
            }
            return;
        }
        Driver drv = dev.driver();
        w.driverLinked(dev, false); // driver_sysfs_remove()
        Runnable finish = () -> {
            busDma.dmaCleanup(dev);
            releaseCleanup(dev, drv);
            if (then != null) {
                then.run();
            }
        };
        busProbe.deviceRemove(dev, finish);
        trace.leaveWith(f, trace.pendingOn() != null ? "blocked" : "void",
                trace.pendingOn() != null ? "{} waits in {} remove()" : "{} released by {}", dev, drv);
    }

    /** The device lock is held: by an unbind waiting for the user, or by a stepped bind or unbind. */
    static boolean deviceLocked(Device dev) {
        return dev.releasePending() || dev.phase() != null;
    }

    /** What a write to a locked device answers here; the real kernel would block on the device lock instead. */
    int busyWhileLocked(Frame f, Device dev) {
        return trace.leave(f, -EBUSY.code(), "{} is in the middle of {} (the real kernel would block this write on the "
                + "device lock)", dev, dev.phase() != null ? "a stepped " + dev.phase().operation()
                : "an unbind that waits for the user to close it");
    }

    /** __device_release_driver() after dma_cleanup: device_unbind_cleanup() and the driver's device list. */
    void releaseCleanup(Device dev, Driver drv) {
        unbindCleanup(dev);
        w.bound(drv, dev, false);
    }

    /**
     * bus match: pci-driver.c pci_bus_match() → pci_match_device(), platform_match() (6.1): a driver_override
     * admits only the driver it names (with no ID needed); otherwise the dynamic IDs, then the ID table.
     */
    boolean driverMatchDevice(Driver drv, Device dev) {
        String override = dev.driverOverride();
        if (override != null) {
            return override.equals(drv.name());
        }
        for (var id : drv.dynIds()) {
            if (id.matches(dev.spec())) {
                return true;
            }
        }
        return drv.spec().match().matchesTable(dev.spec());
    }

    /**
     * dd.c: driver_attach() → bus_for_each_dev(__driver_attach) (6.1): a newly registered driver (or one given a
     * dynamic ID) tries every device of its bus in the bus's order; a device that has a driver is skipped
     * ({@code __driver_probe_device()}: -EBUSY), and no error stops the walk. Returns how many it bound.
     */
    public int driverAttach(Driver drv) {
        Frame f = trace.enter("driver_attach");
        int bound = 0;
        for (Device dev : state.devices()) {
            if (!dev.isPresent() || dev.bus() != drv.bus() || dev.driver() != null || deviceLocked(dev)
                    || !driverMatchDevice(drv, dev)) {
                continue;
            }
            Frame each = trace.enter("__driver_attach");
            int ret = driverProbeDevice(drv, dev);
            trace.leave(each, ret, ret == 0 ? "{} bound to {}" : "{} not bound; the walk goes on", dev, drv);
            bound += ret == 0 ? 1 : 0;
        }
        trace.leaveWith(f, String.valueOf(bound), bound == 0 ? "{} matched no unbound device"
                : "{} bound " + bound + " device(s)", drv);
        return bound;
    }

    /**
     * dd.c: driver_detach() (6.1): every device bound to the driver is released, last bound first, through the
     * unbind path ({@code device_release_driver_internal()}).
     */
    public void driverDetach(Driver drv) {
        Frame f = trace.enter("driver_detach");
        java.util.List<Device> bound = new java.util.ArrayList<>(drv.boundDevices());
        java.util.Collections.reverse(bound);
        for (Device dev : bound) {
            releaseDriver(dev, null);
        }
        trace.leaveWith(f, "void", bound.isEmpty() ? "{} had no device" : "{} let go of " + bound.size()
                + " device(s)", drv);
    }
}
