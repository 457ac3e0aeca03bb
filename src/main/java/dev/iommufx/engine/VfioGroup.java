package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code struct vfio_group} (6.1 {@code drivers/vfio/vfio_main.c}): {@code /dev/vfio/<n>}, alive while a
 * device of IOMMU group n is registered with VFIO. After the last device leaves, an fd still open on it
 * answers ENODEV ({@code group->iommu_group == NULL}).
 */
public final class VfioGroup {
    private final IommuGroup iommuGroup;
    final List<Device> devices = new ArrayList<>();
    private final List<Device> devicesView = Collections.unmodifiableList(devices);
    /** False once vfio_device_remove_group() revoked it. */
    boolean alive = true;
    /** The handle that has it open (single opener), or null. */
    String openedBy;
    /** Set by close() while device fds still hold the group file: the release runs after the last one. */
    boolean closePending;
    VfioContainer container;
    int containerUsers;

    VfioGroup(IommuGroup iommuGroup) {
        this.iommuGroup = iommuGroup;
    }

    public IommuGroup iommuGroup() {
        return iommuGroup;
    }

    public List<Device> devices() {
        return devicesView;
    }

    public boolean isAlive() {
        return alive;
    }

    public String openedBy() {
        return openedBy;
    }

    public VfioContainer container() {
        return container;
    }

    /** Set by close() while device fds still hold the group file: the release runs after the last one. */
    public boolean closePending() {
        return closePending;
    }

    /** {@code container_users}: the group fd's hold on its container plus one per open device fd. */
    public int containerUsers() {
        return containerUsers;
    }

    /** The cookie this group claims DMA ownership with. */
    public String ownerCookie() {
        return "vfio-group " + iommuGroup.id();
    }

    @Override
    public String toString() {
        return "/dev/vfio/" + iommuGroup.id();
    }
}
