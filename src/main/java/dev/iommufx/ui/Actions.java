package dev.iommufx.ui;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.ui.vm.MachineViewModel;
import dev.iommufx.ui.vm.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The operations offered for a selection, as menu items: the same list in the context menu and in the
 * window's Selection menu (which makes every action reachable from the keyboard).
 */
final class Actions {
    private final MachineViewModel vm;
    private final dev.iommufx.ui.graph.GraphView graph;

    private final java.util.function.Consumer<String> planFor;

    Actions(MachineViewModel vm, dev.iommufx.ui.graph.GraphView graph, java.util.function.Consumer<String> planFor) {
        this.vm = vm;
        this.graph = graph;
        this.planFor = planFor;
    }

    List<MenuItem> forSelection(Selection s) {
        if (s == null) {
            MenuItem none = new MenuItem("Select a device, group, driver or VM first");
            none.setDisable(true);
            return List.of(none);
        }
        return switch (s.kind()) {
            case DEVICE -> device(s.id());
            case GROUP -> group(Integer.parseInt(s.id()));
            case DRIVER -> driver(s.id());
            case VM -> List.of(item("Set the IOMMU of " + s.id() + " (type1v2): start it", "menu-start-" + s.id(),
                    () -> vm.startVm(s.id())), disabled("Drag a group's header here to give it to " + s.id()));
        };
    }

    private List<MenuItem> device(String id) {
        Device d = vm.kernel().device(id);
        List<MenuItem> items = new ArrayList<>();
        items.add(item("Unbind", "menu-unbind", () -> vm.unbind(id)));
        items.add(item("Give this device to a VM…", "menu-plan", () -> planFor.accept(id)));
        Menu bind = new Menu("Bind to");
        bind.setId("menu-bind-to");
        for (Map.Entry<Driver, Boolean> c : vm.candidateDrivers(id).entrySet()) {
            String name = c.getKey().name();
            String label = name + (c.getValue() ? "  (sets driver_override)" : "");
            bind.getItems().add(item(label, "menu-bind-" + name, () -> vm.moveToDriver(id, name)));
        }
        items.add(bind);
        Menu override = new Menu("Set driver_override");
        for (Driver drv : vm.kernel().drivers()) {
            if (drv.bus() == d.bus()) {
                override.getItems().add(item(drv.name(), null, () -> vm.driverOverride(id, drv.name())));
            }
        }
        items.add(override);
        items.add(item("Clear driver_override", null, () -> vm.driverOverride(id, null)));
        items.add(item("Probe drivers (drivers_probe)", null, () -> vm.driversProbe(id)));
        if (vm.kernel().profile().has(ProfileRule.DEVICE_CLAIMS)) {
            items.add(iommufd(d));
        }
        if (!d.virtfns().isEmpty()) {
            boolean shown = graph.isUnfolded(id);
            items.add(item((shown ? "Fold its " : "Show its ") + d.virtfns().size() + " virtual functions",
                    "menu-vfs", () -> graph.setUnfolded(id, !shown)));
        }
        if (d.group() != null) {
            items.add(new SeparatorMenuItem());
            items.addAll(group(d.group().id()));
        }
        items.add(new SeparatorMenuItem());
        items.add(item("Remove from the bus", null, () -> vm.remove(id)));
        items.add(item("Rescan the bus", null, vm::rescan));
        return items;
    }

    /** newest: the device's VFIO cdev and iommufd (a VFIO driver must be bound for the cdev to exist). */
    private Menu iommufd(Device d) {
        String id = d.id();
        Menu m = new Menu("iommufd (VFIO cdev)");
        m.setId("menu-iommufd");
        String ctx = d.iommufdContext();
        boolean hasCdev = d.sysfsDriver() != null && d.sysfsDriver().spec().vfio();
        for (String c : List.of("X", "Y")) {
            MenuItem bind = item("Bind to iommufd context " + c, "menu-iommufd-bind-" + c, () -> vm.iommufdBind(id, c));
            bind.setDisable(!hasCdev || ctx != null);
            m.getItems().add(bind);
        }
        MenuItem attach = item("Attach to page table ioas1", "menu-iommufd-attach", () -> vm.iommufdAttach(id, "ioas1"));
        MenuItem close = item("Close the cdev", "menu-iommufd-unbind", () -> vm.iommufdUnbind(id));
        attach.setDisable(ctx == null);
        close.setDisable(ctx == null);
        m.getItems().addAll(attach, close);
        return m;
    }

    private List<MenuItem> group(int id) {
        List<MenuItem> items = new ArrayList<>();
        Menu give = new Menu("Give group " + id + " to VM");
        give.setId("menu-give-" + id);
        for (String name : vm.vms()) {
            give.getItems().add(item(name, "menu-give-" + id + "-" + name, () -> vm.giveGroupToVm(id, name)));
        }
        give.getItems().add(item("New VM", "menu-give-" + id + "-new", () -> vm.giveGroupToVm(id, vm.addVm())));
        items.add(give);
        items.add(item("Take group " + id + " from its VM", "menu-take-" + id, () -> vm.takeGroupFromVm(id)));
        Menu type = new Menu("Default-domain type of group " + id);
        for (String t : List.of("identity", "DMA", "DMA-FQ", "auto")) {
            type.getItems().add(item(t, null, () -> vm.setGroupType(id, t)));
        }
        items.add(type);
        return items;
    }

    private List<MenuItem> driver(String name) {
        List<MenuItem> items = new ArrayList<>();
        for (Driver drv : vm.kernel().drivers()) {
            if (drv.name().equals(name)) {
                for (Device d : List.copyOf(drv.boundDevices())) {
                    items.add(item("Unbind " + d.id(), null, () -> vm.unbind(d.id())));
                }
            }
        }
        if (items.isEmpty()) {
            items.add(disabled(name + " has no devices: drag one here"));
        }
        return items;
    }

    private static MenuItem item(String text, String id, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (id != null) {
            m.setId(id);
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    private static MenuItem disabled(String text) {
        MenuItem m = new MenuItem(text);
        m.setDisable(true);
        return m;
    }
}
