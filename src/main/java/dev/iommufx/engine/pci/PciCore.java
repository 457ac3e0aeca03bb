package dev.iommufx.engine.pci;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.ENOENT;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.base.DriverCore;
import dev.iommufx.engine.iommu.IommuProbe;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PCI hot remove and rescan, Linux 6.1 {@code drivers/pci/remove.c} and {@code drivers/pci/probe.c}
 * (kernel-model §3.10, §4.9): removal unbinds the whole subtree before deleting it; a rescan adds
 * each device found (grouping it as it is added) and then autoprobes the new devices.
 */
public final class PciCore {
    private static final Comparator<Device> BY_DEVFN = Comparator.comparing(Device::bdf);
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;
    private final DriverCore core;
    private final IommuProbe iommuProbe;

    public PciCore(KernelState state, StateWriter w, Trace trace, DriverCore core, IommuProbe iommuProbe) {
        this.state = state;
        this.w = w;
        this.trace = trace;
        this.core = core;
        this.iommuProbe = iommuProbe;
    }

    /** pci-sysfs.c: remove_store() → pci_stop_and_remove_bus_device_locked() (6.1). */
    public int removeStore(String devName) {
        Frame f = trace.enter("remove_store");
        Device dev = state.presentDevice(devName);
        if (dev == null || dev.bus() != BusType.PCI) {
            return trace.leave(f, -ENOENT.code(), "no PCI device {}: its remove file does not exist", devName);
        }
        if (dev.releasePending()) {
            return trace.leave(f, -EBUSY.code(), "{} is already being released (the real kernel would block on its "
                    + "device lock)", dev);
        }
        List<Device> order = new ArrayList<>();
        postOrder(dev, order);
        for (Device d : order) {
            if (d.phase() != null) {
                return trace.leave(f, -EBUSY.code(), "{} is between the phases of a stepped {} (the real kernel would "
                        + "block on its device lock)", d, d.phase().operation());
            }
        }
        Frame stop = trace.enter("pci_stop_bus_device");
        stopFrom(order, 0, () -> destroyFrom(order, 0, null));
        trace.leaveWith(stop, trace.pendingOn() != null ? "blocked" : "void", "");
        return trace.leave(f, 0, trace.pendingOn() != null ? "removal waits until {} is closed" : "{} removed",
                trace.pendingOn() != null ? trace.pendingOn() : dev);
    }

    /** Releases the drivers of the subtree, children first; continues where a blocked release left off. */
    private void stopFrom(List<Device> order, int i, Runnable then) {
        if (i == order.size()) {
            then.run();
            return;
        }
        core.releaseDriver(order.get(i), () -> stopFrom(order, i + 1, then));
    }

    /**
     * remove.c: pci_remove_bus_device(), children first. While an earlier release waited, a device of the
     * subtree may have been bound again; device_del() → bus_remove_device() unbinds it (and may wait too).
     */
    private void destroyFrom(List<Device> order, int i, Runnable then) {
        if (i == order.size()) {
            if (then != null) {
                then.run();
            }
            return;
        }
        Device d = order.get(i);
        core.releaseDriver(d, () -> {
            destroyDev(d);
            destroyFrom(order, i + 1, then);
        });
    }

    /**
     * remove.c: pci_stop_and_remove_bus_device() (6.1), for the kernel's own removals (an SR-IOV VF): the
     * subtree's drivers are released children first, then its devices deleted; {@code then} runs once all is gone,
     * now or when a release that waited for the user finishes.
     */
    public void pciStopAndRemoveBusDevice(Device dev, Runnable then) {
        Frame f = trace.enter("pci_stop_and_remove_bus_device");
        List<Device> order = new ArrayList<>();
        postOrder(dev, order);
        stopFrom(order, 0, () -> destroyFrom(order, 0, then));
        // the continuation may have gone on to other devices' removals: this one waits only if it is still there
        boolean waits = dev.isPresent();
        trace.leaveWith(f, waits ? "blocked" : "void", waits ? "{} waits until {} is closed" : "{} removed", dev,
                trace.pendingOn());
    }

    /** remove.c: pci_destroy_dev() → device_del(): the IOMMU notifier releases the device from its group. */
    private void destroyDev(Device d) {
        Frame f = trace.enter("pci_destroy_dev");
        iommuProbe.iommuReleaseDevice(d);
        w.present(d, false);
        w.driverOverride(d, null);
        w.multifunction(d, d.spec().multifunction());
        trace.leaveWith(f, "void", "{} is gone until a rescan finds it", d);
    }

    private static void postOrder(Device d, List<Device> out) {
        List<Device> kids = new ArrayList<>(d.children());
        kids.sort(BY_DEVFN);
        for (Device c : kids) {
            if (c.isPresent()) {
                postOrder(c, out);
            }
        }
        out.add(d);
    }

    /** pci-sysfs.c: rescan_store() → pci_rescan_bus() (6.1): scan every bus, then add the new devices. */
    public int rescanStore() {
        Frame f = trace.enter("rescan_store");
        List<Device> added = new ArrayList<>();
        for (List<Device> root : state.rootBuses().values()) {
            scanChildBus(root, added);
        }
        for (Device d : added) {
            busAddDevice(d);
        }
        return trace.leave(f, 0, added.isEmpty() ? "nothing new found" : "{} device(s) found", added.size());
    }

    /** probe.c: pci_scan_child_bus(): every slot of this bus first, then the buses below its bridges. */
    private void scanChildBus(List<Device> bus, List<Device> added) {
        List<Device> sorted = new ArrayList<>(bus);
        sorted.sort(BY_DEVFN);
        for (Device d : sorted) {
            // a VF answers config reads with vendor ffff: a scan never finds it; only its PF's sriov_numvfs adds it
            if (!d.isPresent() && !d.spec().isVirtfn() && (d.parent() == null || d.parent().isPresent())) {
                pciDeviceAdd(d);
                added.add(d);
            }
        }
        for (Device d : sorted) {
            if (d.isPresent() && !d.children().isEmpty()) {
                scanChildBus(d.children(), added);
            }
        }
    }

    /**
     * probe.c: pci_device_add() → device_add() → iommu_probe_device(): the device is grouped while its
     * multifunction flag is still the header bit; pci_scan_slot() sets it for functions above 0 only after.
     */
    void pciDeviceAdd(Device d) {
        Frame f = trace.enter("pci_device_add");
        w.present(d, true);
        if (!state.groupedLate(d)) { // an ACPI/IORT or DT device waits for its first dma_configure (§2.4)
            iommuProbe.iommuProbeDevice(d);
        }
        if (d.bdf().function() > 0 && !d.kernelMultifunction() && !d.spec().isVirtfn()) {
            w.multifunction(d, true);
        }
        trace.leaveWith(f, "void", "{} added", d);
    }

    /** bus.c: pci_bus_add_device() (6.1): autoprobe; a failure is only logged. */
    void busAddDevice(Device d) {
        Frame f = trace.enter("pci_bus_add_device");
        int ret = core.deviceAttach(d);
        if (ret < 0) {
            trace.log("pci " + d + ": device attach failed (" + ret + ")");
        }
        trace.leaveWith(f, "void", ret < 0 ? "device attach failed ({})" : "autoprobe done", ret);
    }

    /**
     * The order enumeration adds devices: each bus's slots, then the buses below its bridges; then the devices of
     * other buses. {@code rootBuses} is in bus order ({@link KernelState#rootBuses()}).
     */
    public static List<Device> enumerationOrder(Map<Long, List<Device>> rootBuses, Collection<Device> all) {
        List<Device> out = new ArrayList<>();
        for (List<Device> root : rootBuses.values()) {
            addBus(root, out);
        }
        for (Device d : all) {
            if (d.bus() != BusType.PCI) {
                out.add(d);
            }
        }
        return out;
    }

    private static void addBus(List<Device> bus, List<Device> out) {
        List<Device> sorted = new ArrayList<>(bus);
        sorted.sort(BY_DEVFN);
        out.addAll(sorted);
        for (Device d : sorted) {
            if (!d.children().isEmpty()) {
                addBus(d.children(), out);
            }
        }
    }
}
