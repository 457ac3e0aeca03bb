package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Handle;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.history.Change;
import java.util.Map;
import java.util.TreeMap;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The VMs of the machine on screen. A VM is a VFIO container open under the VM's name: the list is the engine's
 * open containers, read again whenever an event touches a container, a VFIO group or a handle (so an undone
 * "add VM" leaves it), and the next free name is read from the engine too.
 */
public final class VmListViewModel {
    private final ObservableList<VmItem> vms = FXCollections.observableArrayList();
    private final ObservableList<VmItem> readOnly = FXCollections.unmodifiableObservableList(vms);
    private Kernel kernel;

    /** Shows the VMs of another machine. */
    void show(Kernel k) {
        kernel = k;
        vms.clear();
        refresh();
    }

    /** Reads the containers again when the change touched VFIO (and only then). */
    void follow(KernelEvent.StateChanged e) {
        for (Change c : e.changes()) {
            String s = c.subject();
            if (s.equals(Change.CONTAINER) || s.equals(Change.HANDLE) || s.equals(Change.VFIO_GROUP)) {
                refresh();
                return;
            }
        }
    }

    private void refresh() {
        Map<String, Handle> open = new TreeMap<>();
        kernel.handles().forEach((name, h) -> {
            if (h.container() != null) {
                open.put(name, h);
            }
        });
        vms.removeIf(vm -> !open.containsKey(vm.name()));
        for (Map.Entry<String, Handle> e : open.entrySet()) {
            VmItem item = vm(e.getKey());
            if (item == null) {
                item = new VmItem(e.getKey());
                vms.add(item);
            }
            item.refresh(e.getValue().container());
        }
    }

    /** The VMs, in the order they were added. */
    public ObservableList<VmItem> items() {
        return readOnly;
    }

    /** The VMs' names, in the order they were added. */
    public java.util.List<String> names() {
        return vms.stream().map(VmItem::name).toList();
    }

    /**
     * The VMs a group may be given to, the empty ones first: the VM just added for a group is the likely choice,
     * ahead of VMs that already hold one. Otherwise in the order they were added.
     */
    public java.util.List<VmItem> emptyFirst() {
        return vms.stream().sorted(java.util.Comparator.comparing(vm -> !vm.groupsProperty().get().isEmpty()))
                .toList();
    }

    /** The VM of that name, or null. */
    public VmItem vm(String name) {
        for (VmItem vm : vms) {
            if (vm.name().equals(name)) {
                return vm;
            }
        }
        return null;
    }

    /** "VM1", "VM2", ...: the first name that neither names an open file nor a container a group still holds. */
    String nextName() {
        for (int n = 1; ; n++) {
            String name = "VM" + n;
            if (!kernel.handles().containsKey(name) && !heldByAGroup(name)) {
                return name;
            }
        }
    }

    private boolean heldByAGroup(String container) {
        for (IommuGroup g : kernel.groups()) {
            if (g.vfioGroup() != null && g.vfioGroup().container() != null
                    && g.vfioGroup().container().name().equals(container)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A refusal's reason in the user's words: "owned by user vfio-group 8" names the VM that holds the group too
     * ("vfio-group 8, VM1's").
     */
    public String explain(String reason) {
        if (reason == null) {
            return "";
        }
        String out = reason;
        for (VmItem vm : vms) {
            for (Integer g : vm.groupsProperty().get()) {
                out = out.replace("vfio-group " + g, "vfio-group " + g + " (" + vm.name() + ")");
            }
        }
        return out;
    }
}
