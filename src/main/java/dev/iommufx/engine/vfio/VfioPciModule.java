package dev.iommufx.engine.vfio;

import dev.iommufx.engine.Driver;
import dev.iommufx.engine.PciDynId;
import dev.iommufx.engine.pci.PciDriver;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;

/**
 * vfio-pci's module init: {@code drivers/vfio/pci/vfio_pci.c: vfio_pci_init()} and {@code vfio_pci_fill_ids()}
 * (6.1, kernel-model §2.6). The driver registers first (its own table matches only devices whose
 * {@code driver_override} names it), then each entry of the {@code ids=} option becomes a dynamic ID, each of which
 * binds the unbound devices it matches: a device another driver already holds stays with it.
 */
public final class VfioPciModule {
    private final Trace trace;
    private final PciDriver pci;

    public VfioPciModule(Trace trace, PciDriver pci) {
        this.trace = trace;
        this.pci = pci;
    }

    /** vfio_pci.c: vfio_pci_init() (6.1): pci_register_driver(), then vfio_pci_fill_ids(). */
    public int vfioPciInit(Driver drv, String ids) {
        Frame f = trace.enter("vfio_pci_init");
        int ret = pci.pciRegisterDriver(drv);
        if (ret != 0) {
            return trace.leave(f, ret, "{} did not register", drv);
        }
        vfioPciFillIds(drv, ids);
        return trace.leave(f, 0, "{} ready", drv);
    }

    /**
     * vfio_pci.c: vfio_pci_fill_ids() (6.1): comma-separated {@code vendor:device[:subvendor[:subdevice[:class[:
     * class_mask]]]]} in hex; an entry with fewer than two fields is skipped with a warning in the log.
     */
    void vfioPciFillIds(Driver drv, String ids) {
        if (ids == null || ids.isEmpty()) {
            return;
        }
        Frame f = trace.enter("vfio_pci_fill_ids");
        int added = 0;
        for (String entry : ids.split(",", -1)) {
            PciDynId id = parse(entry);
            if (id == null) {
                trace.log("vfio_pci: invalid id string \"" + entry + "\"");
                continue;
            }
            int ret = pci.pciAddDynid(drv, id);
            if (ret == 0) {
                added++;
                trace.log(String.format("vfio_pci: add [%04x:%04x[%s:%s]] class %#08x/%08x", id.vendor(), id.device(),
                        any(id.subvendor()), any(id.subdevice()), id.pciClass(), id.classMask()));
            }
        }
        trace.leaveWith(f, String.valueOf(added), "{} dynamic ID(s) from ids=", added);
    }

    private static String any(int value) {
        return value < 0 ? "ffffffff" : String.format("%04x", value);
    }

    /** One entry of {@code ids=} as sscanf("%x:%x:%x:%x:%x:%x") reads it; null when it has fewer than 2 fields. */
    static PciDynId parse(String entry) {
        String[] f = entry.strip().split(":", -1);
        if (f.length < 2 || f.length > 6) {
            return null;
        }
        int[] v = {-1, -1, -1, -1, 0, 0};
        for (int i = 0; i < f.length; i++) {
            if (f[i].isEmpty() || f[i].length() > 8) {
                return null;
            }
            try {
                long n = Long.parseLong(f[i], 16);
                v[i] = i < 4 && n == 0xffffffffL ? -1 : (int) n;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new PciDynId(v[0], v[1], v[2], v[3], v[4], v[5]);
    }
}
