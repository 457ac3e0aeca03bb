package dev.iommufx.ui.vm;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One IOMMU group as the view shows it: its state and a one-line summary, refreshed when an event names it. */
public final class GroupItem {
    private final int id;
    private final ObjectProperty<GroupState> state = new SimpleObjectProperty<>(this, "state");
    private final StringProperty summary = new SimpleStringProperty(this, "summary");
    private final StringProperty vm = new SimpleStringProperty(this, "vm");

    GroupItem(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public ReadOnlyObjectProperty<GroupState> stateProperty() {
        return state;
    }

    /** "group 8 · DMA-API owned · K(2)". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** The VM (container) holding the group, or null. */
    public ReadOnlyStringProperty vmProperty() {
        return vm;
    }

    void refresh(IommuGroup g) {
        state.set(g.state());
        summary.set("group " + id + " · " + g.state().label() + " · " + GroupState.code(g));
        vm.set(g.vfioGroup() == null || g.vfioGroup().container() == null ? null : g.vfioGroup().container().name());
    }
}
