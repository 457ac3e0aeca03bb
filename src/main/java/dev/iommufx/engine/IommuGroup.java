package dev.iommufx.engine;

import dev.iommufx.model.DomainType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code struct iommu_group} ({@code drivers/iommu/iommu.c}, 6.1): members, domains and the DMA owner.
 * Its fields change only through the engine's {@link StateWriter}.
 */
public final class IommuGroup {
    private final int id;
    final List<Device> devices = new ArrayList<>();
    /** What callers and subsystems read: the members, unmodifiable (one view, so that reading allocates nothing). */
    private final List<Device> devicesView = Collections.unmodifiableList(devices);
    Domain defaultDomain;
    Domain blockingDomain;
    Domain domain;
    int ownerCnt;
    /** The user owner's cookie (a VFIO group, or a name given to the kernel API); null for none. */
    String owner;
    /** The VFIO group ({@code /dev/vfio/<id>}) while a device of this group is bound to a VFIO driver. */
    VfioGroup vfio;

    /** What the group runs on with no domain attached: what its IOMMU driver's detach_dev leaves (6.1 ND). */
    private final String detached;

    /** @param iommuDetach the topology's {@code iommuDetach}: PLATFORM (platform DMA ops) or IDENTITY */
    IommuGroup(int id, DomainType iommuDetach) {
        this.id = id;
        this.detached = iommuDetach == DomainType.IDENTITY ? "no translation (detach_dev)" : "platform DMA ops";
    }

    public int id() {
        return id;
    }

    public List<Device> devices() {
        return devicesView;
    }

    public Domain defaultDomain() {
        return defaultDomain;
    }

    public Domain blockingDomain() {
        return blockingDomain;
    }

    /** The domain every member is attached to now; null means platform DMA ops or no translation (6.1 ND). */
    public Domain domain() {
        return domain;
    }

    /** The attached domain for people: NULL is what detach_dev left, or (v7 claim) no domain at all. */
    public String domainLabel() {
        if (domain != null) {
            return domain.label();
        }
        return owner != null ? "no domain (detached by the claim; DMA is whatever detach_dev left)" : detached;
    }

    /** What the group runs on when no domain is attached: "platform DMA ops" or "no translation (detach_dev)". */
    public String detachedLabel() {
        return detached;
    }

    public int ownerCount() {
        return ownerCnt;
    }

    public String owner() {
        return owner;
    }

    public VfioGroup vfioGroup() {
        return vfio;
    }

    /** What sysfs {@code type} reads: the default domain's type, "unknown" without one or for PLATFORM (§5). */
    public String sysfsType() {
        return defaultDomain == null || defaultDomain.type() == DomainType.PLATFORM ? "unknown"
                : defaultDomain.type().sysfsName();
    }

    /** The colouring state (see {@link GroupState#of}). */
    public GroupState state() {
        return GroupState.of(this);
    }

    @Override
    public String toString() {
        return "group " + id;
    }
}
