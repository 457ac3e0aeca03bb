package dev.iommufx.engine.base;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.engine.vfio.Vfio;
import dev.iommufx.model.BusType;

/**
 * The bus's probe and remove callbacks and what the drivers do in them that matters here:
 * {@code drivers/pci/pci-driver.c: pci_device_probe()/pci_device_remove()} (and the platform twins),
 * pcieport's port-type check, and vfio-pci's registration with VFIO (6.1).
 */
public final class BusProbe {
    private final Trace trace;
    private final Vfio vfio;

    public BusProbe(Trace trace, Vfio vfio) {
        this.trace = trace;
        this.vfio = vfio;
    }

    /** dd.c: call_driver_probe() (6.1): bus->probe, which calls the driver's probe(). */
    public int callDriverProbe(Device dev, Driver drv) {
        Frame f = trace.enter("call_driver_probe");
        Frame bus = trace.enter(dev.bus() == BusType.PCI ? "pci_device_probe" : "platform_probe");
        int ret = dev.bus() == BusType.PCI && !pciDeviceCanProbe(dev) ? trace.leaf("pci_device_can_probe",
                -ENODEV.code(), "{} is a VF whose PF has sriov_drivers_autoprobe off, and no driver_override names a "
                        + "driver for it", dev) : driverProbe(dev, drv);
        trace.leave(bus, ret, ret == 0 ? "{} probe() succeeded" : "{} probe() failed", drv);
        return trace.leave(f, ret, ret == 0 ? "{} drives {}" : "probe of {} by {} failed", dev, drv);
    }

    /** pci-driver.c: pci_device_can_probe() (6.1, kernel-model §6.5): a VF probes with autoprobe or an override. */
    static boolean pciDeviceCanProbe(Device dev) {
        Device pf = dev.physfn();
        return pf == null || pf.vfAutoprobe() || dev.driverOverride() != null;
    }

    private int driverProbe(Device dev, Driver drv) {
        String errno = drv.spec().probeErrno();
        if (errno != null) {
            Errno e = Errno.parse(errno);
            return trace.leaf(drv.name() + " probe()", -e.code(), "the topology says {} fails to probe with {}",
                    drv, e);
        }
        if (!drv.spec().pcieTypes().isEmpty()
                && (dev.spec().pcieType() == null || !drv.spec().pcieTypes().contains(dev.spec().pcieType()))) {
            return trace.leaf("pcie_portdrv_probe", -ENODEV.code(), "{} is not a PCIe port {} serves", dev, drv);
        }
        if (drv.spec().vfio()) {
            return vfioProbe(dev, drv);
        }
        return trace.leaf(drv.name() + " probe()", 0, "{} takes {}", drv, dev);
    }

    /** vfio/pci/vfio_pci.c: vfio_pci_probe() → vfio_pci_core_register_device() (6.1). */
    private int vfioProbe(Device dev, Driver drv) {
        Frame f = trace.enter(dev.bus() == BusType.PCI ? "vfio_pci_core_register_device" : "vfio_platform_probe");
        if (dev.spec().hasBridgeHeader()) {
            return trace.leave(f, -EINVAL.code(), "{} has a bridge header; VFIO only takes normal (type 0) headers",
                    dev);
        }
        long vfs = dev.virtfns().isEmpty() ? 0 : dev.virtfns().stream().filter(Device::isPresent).count();
        if (vfs > 0) {
            trace.log("vfio-pci " + dev + ": Cannot bind to PF with SR-IOV enabled");
            return trace.leave(f, -EBUSY.code(), "{} has {} virtual functions enabled; VFIO refuses such a PF", dev,
                    vfs);
        }
        int ret = vfio.vfioRegisterGroupDev(dev);
        return trace.leave(f, ret, ret == 0 ? "{} registered with VFIO" : "{} not registered", dev);
    }

    /**
     * dd.c: device_remove() → bus->remove → the driver's remove() (6.1). vfio-pci's remove waits in
     * vfio_unregister_group_dev() while the device is open; {@code finish} runs when the remove returns.
     */
    public void deviceRemove(Device dev, Runnable finish) {
        Frame f = trace.enter("device_remove");
        if (dev.driver().spec().vfio()) {
            vfio.vfioUnregisterGroupDev(dev, finish);
        } else {
            trace.leaf(dev.driver().name() + " remove()", 0, "{} lets go of {}", dev.driver(), dev);
            finish.run();
        }
        trace.leaveWith(f, trace.pendingOn() != null ? "blocked" : "void", "");
    }
}
