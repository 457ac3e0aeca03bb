package dev.iommufx.engine.pci;

import static dev.iommufx.engine.Errno.EINVAL;

import dev.iommufx.engine.Driver;
import dev.iommufx.engine.PciDynId;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.base.DriverCore;
import dev.iommufx.engine.base.DriverRegistry;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;

/**
 * A PCI driver's registration and its dynamic IDs: {@code drivers/pci/pci-driver.c: __pci_register_driver()},
 * {@code pci_unregister_driver()}, {@code pci_add_dynid()} (6.1, kernel-model §2.6). A dynamic ID is tried before
 * the ID table, and adding one runs {@code driver_attach()} at once, which binds only devices that have no driver.
 */
public final class PciDriver {
    private final StateWriter w;
    private final Trace trace;
    private final DriverRegistry registry;
    private final DriverCore core;

    public PciDriver(StateWriter w, Trace trace, DriverRegistry registry, DriverCore core) {
        this.w = w;
        this.trace = trace;
        this.registry = registry;
        this.core = core;
    }

    /** pci-driver.c: __pci_register_driver() (6.1): an empty dynid list, then driver_register(). */
    public int pciRegisterDriver(Driver drv) {
        Frame f = trace.enter("__pci_register_driver");
        w.clearDynIds(drv);
        int ret = registry.driverRegister(drv);
        return trace.leave(f, ret, ret == 0 ? "{} registered on the pci bus" : "{} not registered", drv);
    }

    /** pci-driver.c: pci_unregister_driver() (6.1): driver_unregister(), then pci_free_dynids(). */
    public void pciUnregisterDriver(Driver drv) {
        Frame f = trace.enter("pci_unregister_driver");
        registry.driverUnregister(drv);
        w.clearDynIds(drv);
        trace.leaveWith(f, "void", "{} unregistered; its dynamic IDs are freed", drv);
    }

    /** pci-driver.c: pci_add_dynid() → do_pci_add_dynid() (6.1): append the ID, then driver_attach(). */
    public int pciAddDynid(Driver drv, PciDynId id) {
        Frame f = trace.enter("pci_add_dynid");
        if (id.vendor() < 0 || id.device() < 0) {
            return trace.leave(f, -EINVAL.code(), "a dynamic ID needs a vendor and a device");
        }
        w.addDynId(drv, id);
        int bound = core.driverAttach(drv);
        return trace.leave(f, 0, "{} now matches {}; {} device(s) bound", drv, id, bound);
    }
}
