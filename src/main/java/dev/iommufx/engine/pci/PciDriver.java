package dev.iommufx.engine.pci;

import static dev.iommufx.engine.Errno.EEXIST;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.Driver;
import dev.iommufx.engine.PciDynId;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.base.DriverCore;
import dev.iommufx.engine.base.DriverRegistry;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;

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

    /**
     * pci-driver.c: new_id_store() (6.1): {@code echo "VVVV DDDD [SUBV SUBD CLASS MASK]" > drivers/DRV/new_id};
     * EINVAL with fewer than two hex fields, EEXIST when the driver already matches that ID; then pci_add_dynid().
     */
    public int newIdStore(Driver drv, String buf) {
        Frame f = trace.enter("new_id_store");
        if (drv == null || drv.bus() != BusType.PCI) {
            return trace.leave(f, -ENOENT.code(), "no such PCI driver: no new_id file");
        }
        String[] fields = buf == null ? new String[0] : buf.strip().split("\\s+");
        long[] v = {-1, -1, 0xffffffffL, 0xffffffffL, 0, 0};
        int n = 0;
        for (String field : fields) {
            if (n == 6 || field.isEmpty() || field.length() > 8 || !field.chars().allMatch(c -> Character.digit(c, 16)
                    >= 0)) {
                break; // sscanf stops at the first field it cannot read
            }
            v[n++] = Long.parseLong(field, 16);
        }
        if (n < 2) {
            return trace.leave(f, -EINVAL.code(), "\"{}\" has fewer than two hex fields (vendor device)", buf);
        }
        PciDynId id = new PciDynId((int) v[0], (int) v[1], v[2] == 0xffffffffL ? -1 : (int) v[2],
                v[3] == 0xffffffffL ? -1 : (int) v[3], (int) v[4], (int) v[5]);
        if (alreadyMatches(drv, id)) {
            return trace.leave(f, -EEXIST.code(), "{} already matches {}", drv, id);
        }
        int ret = pciAddDynid(drv, id);
        return trace.leave(f, ret, "{} gets dynamic ID {}", drv, id);
    }

    /** new_id_store()'s check with a made-up device of that ID: pci_match_device() on the dynamic IDs and table. */
    private static boolean alreadyMatches(Driver drv, PciDynId id) {
        var probe = dev.iommufx.model.DeviceSpec.pci("0000:00:00.0", null, id.vendor(), id.device(), id.pciClass(),
                null, null, null);
        return drv.dynIds().stream().anyMatch(d -> d.matches(probe)) || drv.spec().match().matchesTable(probe);
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
