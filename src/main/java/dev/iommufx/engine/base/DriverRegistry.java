package dev.iommufx.engine.base;

import static dev.iommufx.engine.Errno.EBUSY;

import dev.iommufx.engine.Driver;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;

/**
 * A driver joins and leaves its bus: {@code drivers/base/driver.c: driver_register()/driver_unregister()} and
 * {@code drivers/base/bus.c: bus_add_driver()/bus_remove_driver()} (6.1, kernel-model §2.6). Joining makes the
 * driver's sysfs directory (its bind and unbind files) and, with the bus's {@code drivers_autoprobe}, binds every
 * unbound device it matches; leaving releases every device bound to it first.
 */
public final class DriverRegistry {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final DriverCore core;

    public DriverRegistry(KernelState state, StateWriter w, Trace trace, DriverCore core) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.core = core;
    }

    /** driver.c: driver_register() (6.1): EBUSY if a driver of that name is already registered on the bus. */
    public int driverRegister(Driver drv) {
        Frame f = trace.enter("driver_register");
        Driver other = state.driver(drv.bus(), drv.name());
        if (other != null) {
            trace.log("Error: Driver '" + drv.name() + "' is already registered, aborting...");
            return trace.leave(f, -EBUSY.code(), "a driver named {} is already registered", drv);
        }
        int ret = busAddDriver(drv);
        return trace.leave(f, ret, "{} registered", drv);
    }

    /** bus.c: bus_add_driver() (6.1): to the tail of the bus's drivers, then driver_attach() (drivers_autoprobe). */
    private int busAddDriver(Driver drv) {
        Frame f = trace.enter("bus_add_driver");
        w.registered(drv, true);
        core.driverAttach(drv);
        return trace.leave(f, 0, "/sys/bus/{}/drivers/{} exists", drv.bus().sysfsName(), drv);
    }

    /** driver.c: driver_unregister() → bus.c: bus_remove_driver() → dd.c: driver_detach() (6.1). */
    public void driverUnregister(Driver drv) {
        Frame f = trace.enter("driver_unregister");
        Frame remove = trace.enter("bus_remove_driver");
        core.driverDetach(drv);
        w.registered(drv, false);
        trace.leaveWith(remove, "void", "/sys/bus/{}/drivers/{} is gone", drv.bus().sysfsName(), drv);
        trace.leaveWith(f, "void", "{} unregistered", drv);
    }
}
