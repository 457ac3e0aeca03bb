package dev.iommufx.ui.vm;

import dev.iommufx.engine.Change;
import dev.iommufx.engine.ChangeSets;
import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.UserActions;
import dev.iommufx.model.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The machine on screen: the kernel, one item per group and device, the VMs, the selection and the last
 * operation. It listens to the kernel's events and refreshes only the groups and devices an event names,
 * so a bind in a 10,000-device machine touches one group. Used on the JavaFX thread; testable without a stage.
 */
public final class MachineViewModel {
    private final ObjectProperty<Kernel> kernel = new SimpleObjectProperty<>(this, "kernel");
    private final ObjectProperty<OpResult> lastResult = new SimpleObjectProperty<>(this, "lastResult");
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final BooleanProperty canUndo = new SimpleBooleanProperty(this, "canUndo");
    private final BooleanProperty canRedo = new SimpleBooleanProperty(this, "canRedo");
    private final ObservableList<String> vms = FXCollections.observableArrayList();
    private final Map<Integer, GroupItem> groups = new LinkedHashMap<>();
    private final Map<String, DeviceItem> devices = new LinkedHashMap<>();
    private final List<Consumer<OpResult>> refusalListeners = new java.util.ArrayList<>();
    private final List<Runnable> structureListeners = new java.util.ArrayList<>();
    private UserActions actions;
    private int nextVm = 1;

    /** Shows a freshly booted machine (replacing the current one). */
    public void load(Topology topology) {
        Kernel k = Kernel.boot(topology);
        k.addListener(this::onKernelEvent);
        actions = new UserActions(k);
        vms.clear();
        nextVm = 1;
        kernel.set(k);
        rebuildItems();
        selection.set(null);
        lastResult.set(null);
        updateHistoryFlags();
    }

    public ReadOnlyObjectProperty<Kernel> kernelProperty() {
        return kernel;
    }

    public Kernel kernel() {
        return kernel.get();
    }

    public ReadOnlyObjectProperty<OpResult> lastResultProperty() {
        return lastResult;
    }

    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo;
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo;
    }

    public ObservableList<String> vms() {
        return vms;
    }

    public GroupItem group(int id) {
        return groups.get(id);
    }

    public DeviceItem device(String id) {
        return devices.get(id);
    }

    /** Called with every refused operation (to show a notification). */
    public void onRefusal(Consumer<OpResult> l) {
        refusalListeners.add(l);
    }

    /** Called when groups appear or disappear (remove, rescan): the view lays the machine out again. */
    public void onStructureChange(Runnable r) {
        structureListeners.add(r);
    }

    // --- actions ----------------------------------------------------------------------------------

    public OpResult moveToDriver(String device, String driver) {
        return record(actions.moveToDriver(device, driver));
    }

    public OpResult unbind(String device) {
        return record(kernel().unbind(device));
    }

    public OpResult driverOverride(String device, String driver) {
        return record(kernel().driverOverride(device, driver));
    }

    public OpResult driversProbe(String device) {
        return record(kernel().driversProbe(device));
    }

    public OpResult remove(String device) {
        return record(kernel().remove(device));
    }

    public OpResult rescan() {
        return record(kernel().rescan());
    }

    public OpResult setGroupType(int group, String type) {
        return record(kernel().setGroupType(group, type));
    }

    /** Adds a VM (a VFIO container) named VM1, VM2, ... and returns its name. */
    public String addVm() {
        String name;
        do {
            name = "VM" + nextVm++;
        } while (kernel().handles().containsKey(name));
        record(actions.addVm(name)); // the kernel's event adds it to vms (see syncVms)
        return name;
    }

    public OpResult giveGroupToVm(int group, String vm) {
        return record(actions.giveGroupToVm(group, vm));
    }

    /** Sets the VM's IOMMU (type1v2): its groups get the VM's domain and become user-claimed. */
    public OpResult startVm(String vm) {
        return record(actions.startVm(vm));
    }

    public OpResult takeGroupFromVm(int group) {
        GroupItem g = groups.get(group);
        String vm = g == null ? null : g.vmProperty().get();
        if (vm == null) {
            return record(kernel().vfioUnsetContainer("(no VM holds group " + group + ")"));
        }
        return record(actions.takeGroupFromVm(group, vm));
    }

    public void undo() {
        lastResult.set(kernel().undo());
        updateHistoryFlags();
    }

    public void redo() {
        lastResult.set(kernel().redo());
        updateHistoryFlags();
    }

    private OpResult record(OpResult r) {
        lastResult.set(r);
        updateHistoryFlags();
        if (!r.ok()) {
            refusalListeners.forEach(l -> l.accept(r));
        }
        return r;
    }

    private void updateHistoryFlags() {
        canUndo.set(kernel().canUndo());
        canRedo.set(kernel().canRedo());
    }

    // --- following the kernel ---------------------------------------------------------------------

    private void onKernelEvent(KernelEvent e) {
        if (changesStructure(e.changes())) {
            rebuildItems();
            structureListeners.forEach(Runnable::run);
            return;
        }
        Kernel k = kernel();
        for (Integer id : e.groupsTouched()) {
            IommuGroup g = k.group(id);
            GroupItem item = groups.get(id);
            if (g != null && item != null) {
                item.refresh(g);
            }
        }
        for (String id : ChangeSets.devicesTouched(e.changes())) {
            DeviceItem item = devices.get(id);
            if (item != null) {
                item.refresh();
                refreshGroupOf(item.device());
            }
        }
        syncVms(k);
    }

    /** Groups or devices appearing or going away need a new layout, not a recolour. */
    private static boolean changesStructure(List<Change> changes) {
        for (Change c : changes) {
            if (c.field().equals("exists") || c.field().equals("present")) {
                return true;
            }
        }
        return false;
    }

    private void refreshGroupOf(Device d) {
        if (d.group() != null && groups.containsKey(d.group().id())) {
            groups.get(d.group().id()).refresh(d.group());
        }
    }

    /** VMs are containers; one closed elsewhere (undo of "add VM") leaves the list. */
    private void syncVms(Kernel k) {
        Set<String> open = new TreeSet<>();
        k.handles().forEach((name, h) -> {
            if (h.container() != null) {
                open.add(name);
            }
        });
        vms.removeIf(v -> !open.contains(v));
        for (String name : open) {
            if (!vms.contains(name)) {
                vms.add(name);
            }
        }
    }

    private void rebuildItems() {
        Kernel k = kernel();
        groups.clear();
        for (IommuGroup g : k.groups()) {
            GroupItem item = new GroupItem(g.id());
            item.refresh(g);
            groups.put(g.id(), item);
        }
        devices.clear();
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                devices.put(d.id(), new DeviceItem(d));
            }
        }
        syncVms(k);
    }

    /** Drivers on the device's bus that could take it, and whether only through driver_override. */
    public Map<Driver, Boolean> candidateDrivers(String deviceId) {
        Map<Driver, Boolean> out = new LinkedHashMap<>();
        Device d = kernel().device(deviceId);
        for (Driver drv : kernel().drivers()) {
            if (drv.bus() == d.bus()) {
                out.put(drv, !drv.spec().match().matchesTable(d.spec()));
            }
        }
        return out;
    }
}
