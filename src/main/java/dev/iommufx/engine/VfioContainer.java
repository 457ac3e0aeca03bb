package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code struct vfio_container} (6.1 {@code drivers/vfio/container.c}): an open {@code /dev/vfio/vfio},
 * the groups set into it, and its IOMMU backend once {@code VFIO_SET_IOMMU} chose one (type1 here).
 * It lives while its handle is open or a group still holds it.
 */
public final class VfioContainer {
    private final String name;
    final List<VfioGroup> groups = new ArrayList<>();
    private final List<VfioGroup> groupsView = Collections.unmodifiableList(groups);
    /** The backend's name ("type1v2") once VFIO_SET_IOMMU succeeded, else null. */
    String iommuDriver;
    /** The type1 backend's unmanaged domain, shared by every group of the container. */
    Domain domain;
    boolean handleOpen = true;

    VfioContainer(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public List<VfioGroup> groups() {
        return groupsView;
    }

    public String iommuDriver() {
        return iommuDriver;
    }

    public Domain domain() {
        return domain;
    }

    @Override
    public String toString() {
        return "container " + name;
    }
}
