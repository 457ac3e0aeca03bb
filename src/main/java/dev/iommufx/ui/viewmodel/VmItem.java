package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.VfioContainer;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * A virtual machine as the window shows it: a VFIO container open under the VM's name, the groups set into it and
 * its IOMMU backend, refreshed from the engine's container when an event touches VFIO.
 */
public final class VmItem {
    private final String name;
    private final ObjectProperty<List<Integer>> groups = new SimpleObjectProperty<>(this, "groups", List.of());
    private final StringProperty iommu = new SimpleStringProperty(this, "iommu");

    VmItem(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The IOMMU groups set into the VM's container, in the order they joined. */
    public ReadOnlyObjectProperty<List<Integer>> groupsProperty() {
        return groups;
    }

    /** The container's IOMMU backend ("type1v2") once the VM is started, else null. */
    public ReadOnlyStringProperty iommuProperty() {
        return iommu;
    }

    void refresh(VfioContainer c) {
        groups.set(c.groups().stream().map(g -> g.iommuGroup().id()).toList());
        iommu.set(c.iommuDriver());
    }
}
