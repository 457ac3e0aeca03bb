package dev.iommufx.engine.base;

import static dev.iommufx.engine.Errno.EAGAIN;
import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.EPROBE_DEFER;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.Phase;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.pci.BusDma;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;

/**
 * A bind ({@code really_probe()}) or unbind ({@code __device_release_driver()}) run one kernel phase at a time,
 * so that a scenario can interleave two devices' operations as Robin Murphy's race analysis does
 * (kernel-model §7d). Bind: set_driver, dma_configure, probe. Unbind: remove, dma_cleanup, clear_driver.
 * Each phase is what {@link DriverCore} does in one go, in the same order and with the same unwinding.
 */
public final class SteppedProbe {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final DriverCore core;
    private final BusDma busDma;
    private final BusProbe busProbe;

    public SteppedProbe(KernelState state, StateWriter w, Trace trace, DriverCore core, BusDma busDma,
                        BusProbe busProbe) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.core = core;
        this.busDma = busDma;
        this.busProbe = busProbe;
    }

    /** One phase of a bind of {@code devName} to {@code drv} (drv is only needed for set_driver). */
    public int bindPhase(String devName, Driver drv, String phase) {
        Frame f = trace.enter("really_probe (" + phase + ")");
        Device dev = state.presentDevice(devName);
        if (dev == null) {
            return trace.leave(f, -ENODEV.code(), "no device {}", devName);
        }
        return switch (phase) {
            case "set_driver" -> setDriver(f, dev, drv);
            case "dma_configure" -> dmaConfigure(f, dev);
            case "probe" -> probe(f, dev);
            default -> trace.leave(f, -EINVAL.code(), "a bind has the phases {}", Phase.BIND_PHASES);
        };
    }

    /** dd.c: really_probe() (6.1) up to {@code dev->driver = drv}, after __driver_probe_device()'s EBUSY check. */
    private int setDriver(Frame f, Device dev, Driver drv) {
        if (drv == null || drv.bus() != dev.bus()) {
            return trace.leave(f, -ENOENT.code(), "no such driver on the {} bus", dev.bus().sysfsName());
        }
        if (DriverCore.deviceLocked(dev)) {
            return core.busyWhileLocked(f, dev);
        }
        if (!core.driverMatchDevice(drv, dev)) {
            return trace.leave(f, -ENODEV.code(), "{} does not match {}", drv, dev);
        }
        if (dev.driver() != null) {
            return trace.leave(f, -EBUSY.code(), "{} already has driver {}", dev, dev.driver());
        }
        w.driver(dev, drv);
        w.phase(dev, Phase.DRIVER_SET);
        return trace.leave(f, 0, "{}->driver = {}; dma_configure comes next", dev, drv);
    }

    /** dd.c: really_probe() (6.1), the bus's dma_configure under the group mutex; pinctrl_bind_failed on error. */
    private int dmaConfigure(Frame f, Device dev) {
        if (dev.phase() != Phase.DRIVER_SET) {
            return outOfOrder(f, dev, "dma_configure", "set_driver");
        }
        w.phase(dev, null);
        int ret = core.probeDmaConfigure(dev);
        if (ret != 0) {
            trace.markFailureChangesState();
            return trace.leave(f, ret, "the bind of {} fails here: {}->driver is NULL again", dev, dev);
        }
        w.phase(dev, Phase.DMA_CONFIGURED);
        return trace.leave(f, 0, "group {} is {}; the driver's probe() comes next",
                dev.group() == null ? "-" : dev.group().id(),
                dev.group() == null ? "absent" : GroupState.code(dev.group()));
    }

    /** dd.c: really_probe() (6.1) from driver_sysfs_add() to driver_bound(), unwinding a failed probe. */
    private int probe(Frame f, Device dev) {
        if (dev.phase() != Phase.DMA_CONFIGURED) {
            return outOfOrder(f, dev, "probe", "dma_configure");
        }
        Driver drv = dev.driver();
        w.phase(dev, null);
        int ret = core.probeCallDriver(dev, drv);
        if (ret != 0) {
            trace.markFailureChangesState();
            // as device_driver_attach() (6.1) hands it to bind_store(): negative, and EPROBE_DEFER as EAGAIN
            int errno = -ret == -EPROBE_DEFER.code() ? -EAGAIN.code() : -ret;
            return trace.leave(f, errno, "{} probe of {} failed; dma_cleanup gave back what dma_configure took",
                    drv, dev);
        }
        return trace.leave(f, 0, "{} bound to {}", dev, drv);
    }

    /** One phase of an unbind of {@code devName} from whatever driver it has. */
    public int unbindPhase(String devName, String phase) {
        Frame f = trace.enter("__device_release_driver (" + phase + ")");
        Device dev = state.presentDevice(devName);
        if (dev == null) {
            return trace.leave(f, -ENODEV.code(), "no device {}", devName);
        }
        return switch (phase) {
            case "remove" -> remove(f, dev);
            case "dma_cleanup" -> dmaCleanup(f, dev);
            case "clear_driver" -> clearDriver(f, dev);
            default -> trace.leave(f, -EINVAL.code(), "an unbind has the phases {}", Phase.UNBIND_PHASES);
        };
    }

    /** dd.c: __device_release_driver() (6.1) up to device_remove(); vfio-pci's remove may wait for the user. */
    private int remove(Frame f, Device dev) {
        if (DriverCore.deviceLocked(dev)) {
            return core.busyWhileLocked(f, dev);
        }
        if (dev.sysfsDriver() == null) {
            return trace.leave(f, -ENODEV.code(), "{} has no driver to unbind", dev);
        }
        w.driverLinked(dev, false); // driver_sysfs_remove()
        busProbe.deviceRemove(dev, () -> w.phase(dev, Phase.REMOVED));
        if (trace.pendingOn() != null) {
            return trace.leave(f, 0, "remove() of {} waits until {} is closed", dev, trace.pendingOn());
        }
        return trace.leave(f, 0, "{} removed {}; dma_cleanup comes next", dev.driver(), dev);
    }

    /** dd.c: __device_release_driver() (6.1), the bus's dma_cleanup under the group mutex. */
    private int dmaCleanup(Frame f, Device dev) {
        if (dev.phase() != Phase.REMOVED) {
            return outOfOrder(f, dev, "dma_cleanup", "remove");
        }
        busDma.dmaCleanup(dev);
        w.phase(dev, Phase.DMA_CLEANED);
        return trace.leave(f, 0, "group {} is {}; {}->driver is still set",
                dev.group() == null ? "-" : dev.group().id(),
                dev.group() == null ? "absent" : GroupState.code(dev.group()),
                dev);
    }

    /** dd.c: __device_release_driver() (6.1), device_unbind_cleanup(): {@code dev->driver = NULL}. */
    private int clearDriver(Frame f, Device dev) {
        if (dev.phase() != Phase.DMA_CLEANED) {
            return outOfOrder(f, dev, "clear_driver", "dma_cleanup");
        }
        Driver drv = dev.driver();
        w.phase(dev, null);
        core.releaseCleanup(dev, drv);
        return trace.leave(f, 0, "{} is unbound from {}", dev, drv);
    }

    private int outOfOrder(Frame f, Device dev, String phase, String before) {
        return trace.leave(f, -EINVAL.code(), "phase {} of {} must follow {} (the device is {})", phase, dev, before,
                dev.phase() == null ? "not between phases" : dev.phase());
    }
}
