package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENODEV;
import static dev.iommufx.engine.Err.ENOENT;

/**
 * A bind ({@code really_probe()}) or unbind ({@code __device_release_driver()}) run one kernel phase at a time,
 * so that a scenario can interleave two devices' operations as Robin Murphy's race analysis does
 * (kernel-model §7d). Bind: set_driver, dma_configure, probe. Unbind: remove, dma_cleanup, clear_driver.
 * Each phase is what {@link DriverCore} does in one go, in the same order and with the same unwinding.
 */
final class SteppedProbe {
    private final Kernel k;

    SteppedProbe(Kernel kernel) {
        this.k = kernel;
    }

    /** One phase of a bind of {@code devName} to {@code drv} (drv is only needed for set_driver). */
    int bindPhase(String devName, Driver drv, String phase) {
        Frame f = k.trace.enter("really_probe (" + phase + ")");
        Device dev = k.presentDevice(devName);
        if (dev == null) {
            return k.trace.leave(f, -ENODEV, "no device {}", devName);
        }
        return switch (phase) {
            case "set_driver" -> setDriver(f, dev, drv);
            case "dma_configure" -> dmaConfigure(f, dev);
            case "probe" -> probe(f, dev);
            default -> k.trace.leave(f, -EINVAL, "a bind has the phases {}", Phase.BIND_PHASES);
        };
    }

    /** dd.c: really_probe() (6.1) up to {@code dev->driver = drv}, after __driver_probe_device()'s EBUSY check. */
    private int setDriver(Frame f, Device dev, Driver drv) {
        if (drv == null || drv.bus() != dev.bus()) {
            return k.trace.leave(f, -ENOENT, "no such driver on the {} bus", dev.bus().sysfsName());
        }
        if (DriverCore.deviceLocked(dev)) {
            return k.core.busyWhileLocked(f, dev);
        }
        if (!k.core.driverMatchDevice(drv, dev)) {
            return k.trace.leave(f, -ENODEV, "{} does not match {}", drv, dev);
        }
        if (dev.driver != null) {
            return k.trace.leave(f, -EBUSY, "{} already has driver {}", dev, dev.driver);
        }
        k.w.driver(dev, drv);
        k.w.phase(dev, Phase.DRIVER_SET);
        return k.trace.leave(f, 0, "{}->driver = {}; dma_configure comes next", dev, drv);
    }

    /** dd.c: really_probe() (6.1), the bus's dma_configure under the group mutex; pinctrl_bind_failed on error. */
    private int dmaConfigure(Frame f, Device dev) {
        if (dev.phase != Phase.DRIVER_SET) {
            return outOfOrder(f, dev, "dma_configure", "set_driver");
        }
        k.w.phase(dev, null);
        int ret = k.core.probeDmaConfigure(dev);
        if (ret != 0) {
            k.failureChangesState = true;
            return k.trace.leave(f, ret, "the bind of {} fails here: {}->driver is NULL again", dev, dev);
        }
        k.w.phase(dev, Phase.DMA_CONFIGURED);
        return k.trace.leave(f, 0, "group {} is {}; the driver's probe() comes next",
                dev.group == null ? "-" : dev.group.id(), dev.group == null ? "absent" : GroupState.code(dev.group));
    }

    /** dd.c: really_probe() (6.1) from driver_sysfs_add() to driver_bound(), unwinding a failed probe. */
    private int probe(Frame f, Device dev) {
        if (dev.phase != Phase.DMA_CONFIGURED) {
            return outOfOrder(f, dev, "probe", "dma_configure");
        }
        Driver drv = dev.driver;
        k.w.phase(dev, null);
        int ret = k.core.probeCallDriver(dev, drv);
        if (ret != 0) {
            k.failureChangesState = true;
            // as device_driver_attach() (6.1) hands it to bind_store(): negative, and EPROBE_DEFER as EAGAIN
            int errno = -ret == -Err.EPROBE_DEFER ? -Err.EAGAIN : -ret;
            return k.trace.leave(f, errno, "{} probe of {} failed; dma_cleanup gave back what dma_configure took",
                    drv, dev);
        }
        return k.trace.leave(f, 0, "{} bound to {}", dev, drv);
    }

    /** One phase of an unbind of {@code devName} from whatever driver it has. */
    int unbindPhase(String devName, String phase) {
        Frame f = k.trace.enter("__device_release_driver (" + phase + ")");
        Device dev = k.presentDevice(devName);
        if (dev == null) {
            return k.trace.leave(f, -ENODEV, "no device {}", devName);
        }
        return switch (phase) {
            case "remove" -> remove(f, dev);
            case "dma_cleanup" -> dmaCleanup(f, dev);
            case "clear_driver" -> clearDriver(f, dev);
            default -> k.trace.leave(f, -EINVAL, "an unbind has the phases {}", Phase.UNBIND_PHASES);
        };
    }

    /** dd.c: __device_release_driver() (6.1) up to device_remove(); vfio-pci's remove may wait for the user. */
    private int remove(Frame f, Device dev) {
        if (DriverCore.deviceLocked(dev)) {
            return k.core.busyWhileLocked(f, dev);
        }
        if (dev.driver == null || !dev.driverLinked) {
            return k.trace.leave(f, -ENODEV, "{} has no driver to unbind", dev);
        }
        k.w.driverLinked(dev, false); // driver_sysfs_remove()
        k.busProbe.deviceRemove(dev, () -> k.w.phase(dev, Phase.REMOVED));
        if (k.pendingOn != null) {
            return k.trace.leave(f, 0, "remove() of {} waits until {} is closed", dev, k.pendingOn);
        }
        return k.trace.leave(f, 0, "{} removed {}; dma_cleanup comes next", dev.driver, dev);
    }

    /** dd.c: __device_release_driver() (6.1), the bus's dma_cleanup under the group mutex. */
    private int dmaCleanup(Frame f, Device dev) {
        if (dev.phase != Phase.REMOVED) {
            return outOfOrder(f, dev, "dma_cleanup", "remove");
        }
        k.busDma.dmaCleanup(dev);
        k.w.phase(dev, Phase.DMA_CLEANED);
        return k.trace.leave(f, 0, "group {} is {}; {}->driver is still set",
                dev.group == null ? "-" : dev.group.id(), dev.group == null ? "absent" : GroupState.code(dev.group),
                dev);
    }

    /** dd.c: __device_release_driver() (6.1), device_unbind_cleanup(): {@code dev->driver = NULL}. */
    private int clearDriver(Frame f, Device dev) {
        if (dev.phase != Phase.DMA_CLEANED) {
            return outOfOrder(f, dev, "clear_driver", "dma_cleanup");
        }
        Driver drv = dev.driver;
        k.w.phase(dev, null);
        k.core.releaseCleanup(dev, drv);
        return k.trace.leave(f, 0, "{} is unbound from {}", dev, drv);
    }

    private int outOfOrder(Frame f, Device dev, String phase, String before) {
        return k.trace.leave(f, -EINVAL, "phase {} of {} must follow {} (the device is {})", phase, dev, before,
                dev.phase == null ? "not between phases" : dev.phase);
    }
}
