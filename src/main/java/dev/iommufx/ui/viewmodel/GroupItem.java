package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One IOMMU group as the window shows it: its state, a one-line summary and its VM, refreshed when an event names it. */
public final class GroupItem {
    private final IommuGroup group;
    private final ObjectProperty<GroupState> state = new SimpleObjectProperty<>(this, "state");
    private final StringProperty summary = new SimpleStringProperty(this, "summary");
    private final StringProperty vm = new SimpleStringProperty(this, "vm");

    GroupItem(IommuGroup group) {
        this.group = group;
        refresh();
    }

    public int id() {
        return group.id();
    }

    public ReadOnlyObjectProperty<GroupState> stateProperty() {
        return state;
    }

    /** "group 8 · DMA-API owned · K(2)". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** The VM (VFIO container) holding the group, or null. */
    public ReadOnlyStringProperty vmProperty() {
        return vm;
    }

    /** The ids of the devices in the group (present or not), in the kernel's order. */
    public List<String> members() {
        return group.devices().stream().map(Device::id).toList();
    }

    void refresh() {
        state.set(group.state());
        summary.set("group " + group.id() + " · " + group.state().label() + " · " + GroupState.code(group));
        vm.set(group.vfioGroup() == null || group.vfioGroup().container() == null ? null
                : group.vfioGroup().container().name());
    }
}
