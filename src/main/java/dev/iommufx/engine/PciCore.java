package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.ENOENT;

import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PCI hot remove and rescan, Linux 6.1 {@code drivers/pci/remove.c} and {@code drivers/pci/probe.c}
 * (kernel-model §3.10, §4.9): removal unbinds the whole subtree before deleting it; a rescan adds
 * each device found (grouping it as it is added) and then autoprobes the new devices.
 */
final class PciCore {
    private static final Comparator<Device> BY_DEVFN = Comparator.comparing(Device::bdf);
    private final Kernel k;

    PciCore(Kernel kernel) {
        this.k = kernel;
    }

    /** pci-sysfs.c: remove_store() → pci_stop_and_remove_bus_device_locked() (6.1). */
    int removeStore(String devName) {
        Frame f = k.trace.enter("remove_store");
        Device dev = k.presentDevice(devName);
        if (dev == null || dev.bus() != BusType.PCI) {
            return k.trace.leave(f, -ENOENT, "no PCI device {}: its remove file does not exist", devName);
        }
        if (dev.pendingRelease != null) {
            return k.trace.leave(f, -EBUSY, "{} is already being released (the real kernel would block on its "
                    + "device lock)", dev);
        }
        List<Device> order = new ArrayList<>();
        postOrder(dev, order);
        for (Device d : order) {
            if (d.phase != null) {
                return k.trace.leave(f, -EBUSY, "{} is between the phases of a stepped {} (the real kernel would "
                        + "block on its device lock)", d, d.phase.operation());
            }
        }
        Frame stop = k.trace.enter("pci_stop_bus_device");
        stopFrom(order, 0, () -> destroyFrom(order, 0));
        k.trace.leaveWith(stop, k.pendingOn != null ? "blocked" : "void", "");
        return k.trace.leave(f, 0, k.pendingOn != null ? "removal waits until {} is closed" : "{} removed",
                k.pendingOn != null ? k.pendingOn : dev);
    }

    /** Releases the drivers of the subtree, children first; continues where a blocked release left off. */
    private void stopFrom(List<Device> order, int i, Runnable then) {
        if (i == order.size()) {
            then.run();
            return;
        }
        k.core.releaseDriver(order.get(i), () -> stopFrom(order, i + 1, then));
    }

    /**
     * remove.c: pci_remove_bus_device(), children first. While an earlier release waited, a device of the
     * subtree may have been bound again; device_del() → bus_remove_device() unbinds it (and may wait too).
     */
    private void destroyFrom(List<Device> order, int i) {
        if (i == order.size()) {
            return;
        }
        Device d = order.get(i);
        k.core.releaseDriver(d, () -> {
            destroyDev(d);
            destroyFrom(order, i + 1);
        });
    }

    /** remove.c: pci_destroy_dev() → device_del(): the IOMMU notifier releases the device from its group. */
    private void destroyDev(Device d) {
        Frame f = k.trace.enter("pci_destroy_dev");
        k.iommuProbe.releaseDevice(d);
        k.w.present(d, false);
        k.w.driverOverride(d, null);
        k.w.multifunction(d, d.spec().multifunction());
        k.trace.leaveWith(f, "void", "{} is gone until a rescan finds it", d);
    }

    private static void postOrder(Device d, List<Device> out) {
        List<Device> kids = new ArrayList<>(d.children());
        kids.sort(BY_DEVFN);
        for (Device c : kids) {
            if (c.present) {
                postOrder(c, out);
            }
        }
        out.add(d);
    }

    /** pci-sysfs.c: rescan_store() → pci_rescan_bus() (6.1): scan every bus, then add the new devices. */
    int rescanStore() {
        Frame f = k.trace.enter("rescan_store");
        List<Device> added = new ArrayList<>();
        for (List<Device> root : rootBusesInOrder(k.rootBuses).values()) {
            scanChildBus(root, added);
        }
        for (Device d : added) {
            busAddDevice(d);
        }
        return k.trace.leave(f, 0, added.isEmpty() ? "nothing new found" : "{} device(s) found", added.size());
    }

    /** probe.c: pci_scan_child_bus(): every slot of this bus first, then the buses below its bridges. */
    private void scanChildBus(List<Device> bus, List<Device> added) {
        List<Device> sorted = new ArrayList<>(bus);
        sorted.sort(BY_DEVFN);
        for (Device d : sorted) {
            if (!d.present && (d.parent() == null || d.parent().present)) {
                pciDeviceAdd(d);
                added.add(d);
            }
        }
        for (Device d : sorted) {
            if (d.present && !d.children().isEmpty()) {
                scanChildBus(d.children(), added);
            }
        }
    }

    /**
     * probe.c: pci_device_add() → device_add() → iommu_probe_device(): the device is grouped while its
     * multifunction flag is still the header bit; pci_scan_slot() sets it for functions above 0 only after.
     */
    private void pciDeviceAdd(Device d) {
        Frame f = k.trace.enter("pci_device_add");
        k.w.present(d, true);
        if (!Boot.groupedLate(k, d)) { // an ACPI/IORT or DT device waits for its first dma_configure (§2.4)
            k.iommuProbe.probeDevice(d);
        }
        if (d.bdf().function() > 0 && !d.multifunction && !d.spec().isVirtfn()) {
            k.w.multifunction(d, true);
        }
        k.trace.leaveWith(f, "void", "{} added", d);
    }

    /** bus.c: pci_bus_add_device() (6.1): autoprobe; a failure is only logged. */
    private void busAddDevice(Device d) {
        Frame f = k.trace.enter("pci_bus_add_device");
        int ret = k.core.deviceAttach(d);
        if (ret < 0) {
            k.trace.log("pci " + d + ": device attach failed (" + ret + ")");
        }
        k.trace.leaveWith(f, "void", ret < 0 ? "device attach failed ({})" : "autoprobe done", ret);
    }

    static Map<Long, List<Device>> rootBusesInOrder(Map<Long, List<Device>> rootBuses) {
        return new TreeMap<>(rootBuses);
    }

    /** The order enumeration adds devices: each bus's slots, then the buses below its bridges. */
    static List<Device> enumerationOrder(Map<Long, List<Device>> rootBuses, Collection<Device> all) {
        List<Device> out = new ArrayList<>();
        for (List<Device> root : rootBusesInOrder(rootBuses).values()) {
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
