package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.GroupExplainer;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.history.ChangeSets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The devices, groups and drivers of the machine on screen, one item each, which views draw and bind to. Made
 * anew for each machine and whenever devices or groups come or go ({@link KernelEvent.StructureChanged}); between
 * those, an event refreshes only the items it names, so a bind in a 10,000-device machine touches one group.
 */
public final class MachineItems {
    private final Map<Integer, GroupItem> groups = new LinkedHashMap<>();
    private final Map<String, DeviceItem> devices = new LinkedHashMap<>();
    private final Map<String, DriverItem> drivers = new LinkedHashMap<>();
    private Kernel kernel;
    /** Counts the times the items were made anew: a view drawing generation g is out of date once it changed. */
    private long generation;

    /** Makes every item anew from the kernel (another machine, or devices or groups came or went). */
    void rebuild(Kernel k) {
        kernel = k;
        generation++;
        groups.clear();
        for (IommuGroup g : k.groups()) {
            groups.put(g.id(), new GroupItem(g));
        }
        devices.clear();
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                devices.put(d.id(), new DeviceItem(d));
            }
        }
        drivers.clear();
        for (Driver drv : k.drivers()) {
            DriverItem item = new DriverItem(drv);
            drivers.put(item.key(), item);
        }
    }

    /**
     * Refreshes what a change touched: its groups, its devices, and the drivers those devices left or joined. When
     * devices or groups came or went, StructureChanged follows and {@link #rebuild} makes the items anew.
     */
    void refresh(KernelEvent.StateChanged e) {
        for (Integer id : e.groupsTouched()) {
            GroupItem item = groups.get(id);
            if (item != null) {
                item.refresh();
            }
        }
        for (String id : ChangeSets.devicesTouched(e.changes())) {
            DeviceItem item = devices.get(id);
            if (item == null) {
                continue;
            }
            String was = item.refresh();
            refreshDriver(item.bus(), was);
            refreshDriver(item.bus(), item.driverProperty().get());
            GroupItem group = item.groupId() == null ? null : groups.get(item.groupId());
            if (group != null) {
                group.refresh();
            }
        }
    }

    private void refreshDriver(String bus, String name) {
        DriverItem d = name == null ? null : drivers.get(DriverItem.key(bus, name));
        if (d != null) {
            d.refresh();
        }
    }

    /** Increases each time the items are made anew. */
    public long generation() {
        return generation;
    }

    public GroupItem group(int id) {
        return groups.get(id);
    }

    /** The groups, in the kernel's order. */
    public Collection<GroupItem> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    /** The device, if present. */
    public DeviceItem device(String id) {
        return devices.get(id);
    }

    /** The present devices, in the kernel's order (the order the keyboard walks). */
    public Collection<DeviceItem> devices() {
        return Collections.unmodifiableCollection(devices.values());
    }

    /** The drivers, in the kernel's order (grouped by bus). */
    public Collection<DriverItem> drivers() {
        return Collections.unmodifiableCollection(drivers.values());
    }

    /** The driver of that name on that bus ("pci", "platform"), or null. */
    public DriverItem driver(String bus, String name) {
        return drivers.get(DriverItem.key(bus, name));
    }

    /** The drivers of that name, on any bus (a driver's name is unique only on its bus). */
    public List<DriverItem> driversNamed(String name) {
        return drivers.values().stream().filter(d -> d.name().equals(name)).toList();
    }

    /** The drivers on the device's bus: those it can be bound to, at least through driver_override. */
    public List<DriverItem> driversOnBusOf(String deviceId) {
        DeviceItem d = devices.get(deviceId);
        return d == null ? List.of() : drivers.values().stream().filter(drv -> drv.bus().equals(d.bus())).toList();
    }

    /** Whether the driver's ID table does not match the device, so that only driver_override binds it. */
    public boolean needsOverride(String deviceId, DriverItem driver) {
        DeviceItem d = devices.get(deviceId);
        return d != null && !driver.driver().spec().match().matchesTable(d.device().spec());
    }

    /** Why the device is in its group, in words (pci_device_group()'s reasoning), for its tooltip. */
    public String explain(String deviceId) {
        Device d = kernel.device(deviceId);
        List<String> why = new GroupExplainer(kernel).explain(d);
        return d.id() + " — " + d.spec().label() + "\n• " + String.join("\n• ", why);
    }

    /**
     * The device tree as plain data, for a layout off the JavaFX thread.
     *
     * @param unfolded physical functions whose virtual functions are drawn one by one
     */
    public TreeSnapshot tree(Set<String> unfolded) {
        return TreeSnapshot.of(kernel, unfolded);
    }

    /** The kernel the items show (for the other view-models). */
    Kernel kernel() {
        return kernel;
    }
}
