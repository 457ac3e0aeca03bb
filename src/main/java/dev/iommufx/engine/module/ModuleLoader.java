package dev.iommufx.engine.module;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.pci.PciDriver;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.engine.vfio.VfioModules;
import dev.iommufx.engine.vfio.VfioPciModule;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import java.util.List;

/**
 * Loading and unloading a driver module, as {@code modprobe} and {@code rmmod} (kmod) do it through the kernel's
 * {@code finit_module()} and {@code delete_module()} ({@code kernel/module/main.c}, 6.1, kernel-model §2.6). A loaded
 * module's init registers its drivers, and each binds every unbound device it matches (vfio-pci adds its
 * {@code ids=} as dynamic IDs after registering); an unloaded module's exit unregisters them, releasing every device
 * bound to them. A module whose device files are open is in use, and rmmod refuses it.
 */
public final class ModuleLoader {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final PciDriver pci;
    private final VfioPciModule vfioPci;

    public ModuleLoader(KernelState state, StateWriter w, Trace trace, PciDriver pci, VfioPciModule vfioPci) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.pci = pci;
        this.vfioPci = vfioPci;
    }

    /**
     * {@code modprobe MODULE [OPTIONS]}: kmod finds the module (dashes and underscores alike), skips it if it is
     * loaded already (its options are then not applied), and otherwise loads it with its options.
     */
    public int modprobe(String name, String options) {
        Frame f = trace.enter("modprobe");
        String module = DriverSpec.moduleName(name);
        List<Driver> drivers = state.moduleDrivers(module);
        if (drivers == null) {
            return trace.leave(f, -ENOENT.code(), "FATAL: Module {} not found: this machine has no such module", name);
        }
        if (state.isLoaded(module)) {
            return trace.leave(f, 0, "{} is already loaded{}: nothing to do (kmod skips a loaded module)", module,
                    options == null || options.isBlank() ? "" : ", so its options are not applied");
        }
        if (needsVfioCore(drivers)) {
            // depmod's dependency: vfio first; then kmod follows vfio's softdep to its type1 backend
            for (String core : VfioModules.BEFORE_A_VFIO_DRIVER) {
                if (!state.isLoaded(core)) {
                    finitModule(core, List.of(), ModuleOptions.NONE);
                }
            }
        }
        int ret = finitModule(module, drivers, ModuleOptions.parse(options));
        return trace.leave(f, ret, ret == 0 ? "{} loaded" : "{} not loaded", module);
    }

    private static boolean needsVfioCore(List<Driver> drivers) {
        return drivers.stream().anyMatch(d -> d.spec().vfio());
    }

    /** kernel/module/main.c: finit_module() → load_module() → do_init_module() → the module's init function. */
    private int finitModule(String module, List<Driver> drivers, ModuleOptions options) {
        Frame f = trace.enter("do_init_module");
        w.moduleLoaded(module, true);
        w.moduleOptions(module, options.values().isEmpty() ? null : options.values());
        int ret = 0;
        for (Driver drv : drivers) {
            int r = initDriver(drv, options);
            ret = ret == 0 ? r : ret;
        }
        if (ret != 0) {
            // a failing init unloads the module again (do_init_module's fail path); what it bound is released
            exitDrivers(module, drivers);
            w.moduleLoaded(module, false);
            w.moduleOptions(module, null);
            return trace.leave(f, ret, "{}'s init failed: the module is unloaded", module);
        }
        return trace.leave(f, 0, "{}'s init registered {}", module, drivers);
    }

    /** The part of a module's init that matters here: registering a driver (vfio-pci's own init for vfio-pci). */
    private int initDriver(Driver drv, ModuleOptions options) {
        if (drv.bus() != BusType.PCI) {
            return pci.pciRegisterDriver(drv); // the other buses' register calls take the same driver-core path
        }
        if (drv.spec().vfio() && drv.name().equals("vfio-pci")) {
            return vfioPci.vfioPciInit(drv, options.value("ids"));
        }
        return pci.pciRegisterDriver(drv);
    }

    /**
     * {@code rmmod MODULE}: kmod refuses a built-in module, one that is not loaded, and one in use (its refcount:
     * here, every open VFIO device file and iommufd-bound cdev of a device bound to its drivers); otherwise the
     * kernel's {@code delete_module()} runs the module's exit, which unregisters its drivers.
     */
    public int rmmod(String name) {
        Frame f = trace.enter("rmmod");
        String module = DriverSpec.moduleName(name);
        List<Driver> drivers = state.moduleDrivers(module);
        if (drivers == null || !state.isLoaded(module)) {
            return trace.leave(f, -ENOENT.code(), "ERROR: Module {} is not currently loaded", module);
        }
        if (!drivers.isEmpty() && drivers.get(0).spec().builtin()) {
            return trace.leave(f, -ENOENT.code(), "ERROR: Module {} is builtin", module);
        }
        String holder = holder(module);
        if (holder != null) {
            return trace.leave(f, -EBUSY.code(), "ERROR: Module {} is in use by: {}", module, holder);
        }
        int users = refcount(module, drivers);
        if (users > 0) {
            return trace.leave(f, -EBUSY.code(), "ERROR: Module {} is in use ({} open file(s) hold it)",
                    module, users);
        }
        Frame del = trace.enter("delete_module");
        exitDrivers(module, drivers);
        w.moduleLoaded(module, false);
        w.moduleOptions(module, null);
        trace.leaveWith(del, "0", "{} unloaded", module);
        return trace.leave(f, 0, "{} removed", module);
    }

    /** The module's exit: each of its registered drivers leaves its bus (pci_unregister_driver()). */
    private void exitDrivers(String module, List<Driver> drivers) {
        Frame f = trace.enter(module + " exit");
        for (Driver drv : drivers) {
            if (state.isRegistered(drv)) {
                pci.pciUnregisterDriver(drv);
            }
        }
        trace.leaveWith(f, "void", "");
    }

    /** A loaded module that depends on this one ({@code Used by} in lsmod), or null. */
    private String holder(String module) {
        if (!module.equals(VfioModules.CORE) && !module.equals(VfioModules.TYPE1)) {
            return null;
        }
        for (String other : state.moduleNames()) {
            List<Driver> drivers = state.moduleDrivers(other);
            if (state.isLoaded(other) && needsVfioCore(drivers) && module.equals(VfioModules.CORE)) {
                return other;
            }
        }
        return null;
    }

    /**
     * The module's references: vfio_device_open() takes one on the driver's module for each open device
     * (try_module_get()); every open VFIO file holds vfio; a container with a type1 backend holds it.
     */
    private int refcount(String module, List<Driver> drivers) {
        if (module.equals(VfioModules.CORE)) {
            return state.handles().size();
        }
        if (module.equals(VfioModules.TYPE1)) {
            return (int) state.handles().values().stream().filter(h -> h.container() != null
                    && h.container().iommuDriver() != null).count();
        }
        int n = 0;
        for (Driver drv : drivers) {
            for (Device d : drv.boundDevices()) {
                n += d.openVfioHandles() + (d.iommufdContext() != null ? 1 : 0);
            }
        }
        return n;
    }
}
