package dev.iommufx.ui;

import dev.iommufx.engine.ProfileRule;
import dev.iommufx.ui.graph.GraphView;
import dev.iommufx.ui.viewmodel.DeviceItem;
import dev.iommufx.ui.viewmodel.DriverItem;
import dev.iommufx.ui.viewmodel.GroupItem;
import dev.iommufx.ui.viewmodel.MachineItems;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import dev.iommufx.ui.viewmodel.VmItem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The operations offered for a selection, as menu items: the same list in the context menu and in the
 * window's Selection menu (which makes every action reachable from the keyboard). Labels are taken literally:
 * they name kernel files such as {@code driver_override}, whose underscores are not mnemonics.
 */
final class Actions {
    private final MachineViewModel machine;
    private final GraphView graph;
    private final Consumer<String> planFor;

    Actions(MachineViewModel machine, GraphView graph, Consumer<String> planFor) {
        this.machine = machine;
        this.graph = graph;
        this.planFor = planFor;
    }

    List<MenuItem> forSelection(Selection s) {
        if (s == null) {
            return List.of(disabled("Select a device, group, driver or VM first"));
        }
        return switch (s.kind()) {
            case DEVICE -> device(s.id());
            case GROUP -> group(Integer.parseInt(s.id()));
            case DRIVER -> driver(s.id());
            case VM -> vm(s.id());
        };
    }

    private List<MenuItem> device(String id) {
        MachineItems items = machine.items();
        DeviceItem d = items.device(id);
        if (d == null) {
            return List.of(disabled(id + " is no longer on its bus"));
        }
        List<MenuItem> out = new ArrayList<>();
        out.add(item("Unbind", "menu-unbind", () -> machine.unbind(id)));
        out.add(item("Give this device to a VM…", "menu-plan", () -> planFor.accept(id)));
        Menu bind = menu("Bind to", "menu-bind-to");
        Menu override = menu("Set driver_override", null);
        for (DriverItem drv : items.driversOnBusOf(id)) {
            String name = drv.name();
            String label = name + (items.needsOverride(id, drv) ? "  (sets driver_override)" : "");
            bind.getItems().add(item(label, "menu-bind-" + name, () -> machine.moveToDriver(id, name)));
            override.getItems().add(item(name, null, () -> machine.driverOverride(id, name)));
        }
        out.add(bind);
        out.add(override);
        out.add(item("Clear driver_override", null, () -> machine.driverOverride(id, null)));
        out.add(item("Probe drivers (drivers_probe)", null, () -> machine.driversProbe(id)));
        if (machine.profile().has(ProfileRule.DEVICE_CLAIMS)) {
            out.add(iommufd(d));
        }
        if (d.totalVfs() > 0) {
            out.add(sriov(d));
        }
        if (!d.virtfns().isEmpty()) {
            boolean shown = graph.isUnfolded(id);
            out.add(item((shown ? "Fold its " : "Show its ") + d.virtfns().size() + " virtual functions",
                    "menu-vfs", () -> graph.setUnfolded(id, !shown)));
        }
        if (d.groupId() != null) {
            out.add(new SeparatorMenuItem());
            out.addAll(group(d.groupId()));
        }
        out.add(new SeparatorMenuItem());
        out.add(item("Remove from the bus", null, () -> machine.remove(id)));
        out.add(item("Rescan the bus", null, machine::rescan));
        return out;
    }

    /** An SR-IOV physical function's sysfs files: how many VFs (sriov_numvfs), and whether they are probed. */
    private Menu sriov(DeviceItem d) {
        String id = d.id();
        Menu m = menu("SR-IOV: " + d.numVfs() + " of " + d.totalVfs() + " VFs enabled", "menu-sriov");
        java.util.TreeSet<Integer> counts = new java.util.TreeSet<>(List.of(0, 1, 2, 4, 8, 16, d.totalVfs()));
        for (int n : counts) {
            if (n <= d.totalVfs()) {
                MenuItem item = item("sriov_numvfs = " + n + (n == 0 ? " (disable the VFs)" : ""),
                        "menu-sriov-numvfs-" + n, () -> machine.sriovNumvfs(id, n));
                item.setDisable(n == d.numVfs());
                m.getItems().add(item);
            }
        }
        m.getItems().add(new SeparatorMenuItem());
        boolean on = d.vfAutoprobe();
        m.getItems().add(item("sriov_drivers_autoprobe = " + (on ? "0 (new VFs get no driver)" : "1 (probe new VFs)"),
                "menu-sriov-autoprobe", () -> machine.sriovDriversAutoprobe(id, !on)));
        return m;
    }

    /** newest: the device's VFIO cdev and iommufd (a VFIO driver must be bound for the cdev to exist). */
    private Menu iommufd(DeviceItem d) {
        String id = d.id();
        Menu m = menu("iommufd (VFIO cdev)", "menu-iommufd");
        String ctx = d.iommufdContext();
        for (String c : List.of("X", "Y")) {
            MenuItem bind = item("Bind to iommufd context " + c, "menu-iommufd-bind-" + c,
                    () -> machine.iommufdBind(id, c));
            bind.setDisable(!d.hasVfioCdev() || ctx != null);
            m.getItems().add(bind);
        }
        MenuItem attach = item("Attach to page table ioas1", "menu-iommufd-attach",
                () -> machine.iommufdAttach(id, "ioas1"));
        MenuItem close = item("Close the cdev", "menu-iommufd-unbind", () -> machine.iommufdUnbind(id));
        attach.setDisable(ctx == null);
        close.setDisable(ctx == null);
        m.getItems().addAll(attach, close);
        return m;
    }

    /** A VM's menu: start it, and give back each group it holds. */
    private List<MenuItem> vm(String name) {
        List<MenuItem> out = new ArrayList<>();
        VmItem vm = machine.vms().vm(name);
        MenuItem start = item("Set the IOMMU of " + name + " (type1v2): start it", "menu-start-" + name,
                () -> machine.startVm(name));
        start.setDisable(vm != null && vm.iommuProperty().get() != null);
        out.add(start);
        List<Integer> groups = vm == null ? List.of() : vm.groupsProperty().get();
        for (Integer g : groups) {
            out.add(item("Take group " + g + " back from " + name, "menu-take-" + g, () -> machine.takeGroupFromVm(g)));
        }
        if (groups.isEmpty()) {
            out.add(disabled("Drag a group's header here to give it to " + name));
        }
        return out;
    }

    /** A group is given to a VM while it is in none, and taken from the one it is in. */
    private List<MenuItem> group(int id) {
        List<MenuItem> out = new ArrayList<>();
        GroupItem g = machine.items().group(id);
        String vm = g == null ? null : g.vmProperty().get();
        if (vm == null) {
            out.add(giveToVm(id));
        } else {
            out.add(item("Take group " + id + " from " + vm, "menu-take-" + id, () -> machine.takeGroupFromVm(id)));
        }
        Menu type = menu("Default-domain type of group " + id, null);
        for (String t : List.of("identity", "DMA", "DMA-FQ", "auto")) {
            type.getItems().add(item(t, null, () -> machine.setGroupType(id, t)));
        }
        out.add(type);
        return out;
    }

    /** The VMs to give a group to, an empty one first, each saying what it holds; then a new VM. */
    private Menu giveToVm(int id) {
        Menu give = menu("Give group " + id + " to VM", "menu-give-" + id);
        for (VmItem vm : machine.vms().emptyFirst()) {
            String name = vm.name();
            List<Integer> held = vm.groupsProperty().get();
            String label = name + (held.isEmpty() ? "  (empty)" : "  (holds group" + (held.size() > 1 ? "s " : " ")
                    + String.join(", ", held.stream().map(String::valueOf).toList()) + ")");
            give.getItems().add(item(label, "menu-give-" + id + "-" + name, () -> machine.giveGroupToVm(id, name)));
        }
        give.getItems().add(item("New VM", "menu-give-" + id + "-new",
                () -> machine.giveGroupToVm(id, machine.addVm())));
        return give;
    }

    private List<MenuItem> driver(String name) {
        List<MenuItem> out = new ArrayList<>();
        for (DriverItem drv : machine.items().driversNamed(name)) {
            for (String device : drv.boundDevices()) {
                out.add(item("Unbind " + device, null, () -> machine.unbind(device)));
            }
        }
        if (out.isEmpty()) {
            out.add(disabled(name + " has no devices: drag one here"));
        }
        return out;
    }

    private static MenuItem item(String text, String id, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setMnemonicParsing(false);
        if (id != null) {
            m.setId(id);
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    private static Menu menu(String text, String id) {
        Menu m = new Menu(text);
        m.setMnemonicParsing(false);
        if (id != null) {
            m.setId(id);
        }
        return m;
    }

    private static MenuItem disabled(String text) {
        MenuItem m = new MenuItem(text);
        m.setMnemonicParsing(false);
        m.setDisable(true);
        return m;
    }
}
