package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;
import java.util.ArrayList;
import java.util.List;

/**
 * Devices entering and leaving IOMMU groups: {@code iommu_probe_device()}, {@code iommu_group_add_device()},
 * {@code iommu_release_device()} and group allocation (6.1 {@code drivers/iommu/iommu.c}, kernel-model §3.10).
 */
final class IommuProbe {
    private final Kernel k;

    IommuProbe(Kernel kernel) {
        this.k = kernel;
    }

    /** iommu.c: iommu_probe_device() (6.1), run from the bus notifier when a device is added. */
    void probeDevice(Device dev) {
        Frame f = k.trace.enter("iommu_probe_device");
        IommuGroup group;
        if (dev.spec().groupAtDmaConfigure() && dev.spec().group() != null) {
            group = declaredGroup(dev.spec().group());
        } else if (dev.bus() != BusType.PCI) {
            k.trace.leaveWith(f, "skipped", "{} is not a PCI function; its group comes from the topology", dev);
            return;
        } else {
            group = new PciDeviceGroup(this::sameBus, k.trace).find(dev);
        }
        if (group == null) {
            group = groupAlloc();
        }
        groupAddDevice(group, dev);
        allocDefaultDomain(group, dev);
        if (group.defaultDomain != null && group.owner == null) {
            k.trace.leaf("__iommu_attach_device", 0, "{} attached to the default domain", dev);
        } else if (group.owner != null) {
            k.trace.leaf("__iommu_attach_device", 0,
                    "group {} is claimed by {}: {} stays on {}, not the default domain", group.id(), group.owner,
                    dev, group.domain);
        }
        k.trace.leaveWith(f, "0", "{} is in group {} ({})", dev, group.id(), GroupState.code(group));
    }

    /** iommu.c: iommu_group_add_device(): join the list and the group's current domain. */
    private void groupAddDevice(IommuGroup group, Device dev) {
        Frame f = k.trace.enter("iommu_group_add_device");
        k.w.joinGroup(dev, group);
        k.trace.log("pci " + dev + ": Adding to iommu group " + group.id());
        k.trace.leaveWith(f, "0", group.domain == null ? "no domain yet" : "attached to {}", group.domain);
    }

    /**
     * iommu.c: iommu_alloc_default_domain(): a new group gets the device's required type or the global
     * default. An IOMMU driver without default domains (6.1 s390-iommu, tegra-smmu, fsl_pamu) cannot
     * allocate one: the failure is ignored and the group stays on platform DMA ops (§1.3, §9 S7).
     */
    private void allocDefaultDomain(IommuGroup group, Device dev) {
        if (group.defaultDomain != null) {
            return;
        }
        DomainType type = statedType(group, dev);
        if (type == null && !k.profile.has(ProfileRule.MANDATORY_DEFAULT_DOMAINS)) {
            k.trace.leaf("iommu_alloc_default_domain", 0, "the IOMMU driver has no default domains: group {} stays "
                    + "on {}", group.id(), group.detachedLabel());
            return;
        }
        type = type == null ? k.topology.iommuDetach() : type;
        Domain d = k.newDefaultDomain(type, group.id());
        k.w.defaultDomain(group, d);
        if (group.domain == null) {
            k.w.domain(group, d);
        }
        k.trace.leaf("iommu_alloc_default_domain", 0, "group {} gets a {} default domain", group.id(), type.sysfsName());
    }

    /**
     * ops->device_group() for a firmware-described device: the group the topology states, created with its
     * stated default domain type if it does not exist yet.
     */
    private IommuGroup declaredGroup(int id) {
        IommuGroup g = k.groups.get(id);
        if (g != null) {
            return g;
        }
        g = new IommuGroup(id, k.topology.iommuDetach());
        k.w.addGroup(k.groups, g);
        k.trace.leaf("iommu_group_alloc", 0, "new group {}", id);
        return g;
    }

    /** The type a new default domain gets: the device's need, the topology's word for the group, or the default. */
    private DomainType statedType(IommuGroup group, Device dev) {
        if (dev.spec().requiredDomain() != null) {
            return dev.spec().requiredDomain();
        }
        if (dev.spec().groupAtDmaConfigure() && k.topology.group(group.id()) != null) {
            return k.topology.group(group.id()).defaultDomain();
        }
        return k.iommuHasDefaultDomains ? k.defaultDomainType : null;
    }

    /** iommu.c: iommu_group_alloc(): the lowest free group number (ida_alloc). */
    IommuGroup groupAlloc() {
        int id = lowestFreeGroupId();
        IommuGroup g = new IommuGroup(id, k.topology.iommuDetach());
        k.w.addGroup(k.groups, g);
        k.trace.leaf("iommu_group_alloc", 0, "new group {}", id);
        return g;
    }

    /** iommu.c: iommu_release_device() (6.1): leave the group; ownership and domain are untouched. */
    void releaseDevice(Device dev) {
        IommuGroup group = dev.group;
        if (group == null) {
            return;
        }
        Frame f = k.trace.enter("iommu_release_device");
        k.trace.log("pci " + dev + ": Removing from iommu group " + group.id());
        k.w.leaveGroup(dev);
        if (group.devices.isEmpty() && k.profile.has(ProfileRule.EMPTY_GROUP_WARNS)
                && (group.ownerCnt != 0 || group.domain != group.defaultDomain)) {
            k.trace.warn("__iommu_group_free_device", "group " + group.id() + " became empty while "
                    + (group.ownerCnt != 0 ? "owner_cnt is " + group.ownerCnt : "not on its default domain"));
        }
        if (group.devices.isEmpty() && group.vfio == null) {
            k.w.removeGroup(k.groups, group);
            k.trace.leaveWith(f, "void", "group {} is empty and released", group.id());
            return;
        }
        k.trace.leaveWith(f, "void", "{} left group {}", dev, group.id());
    }

    /** The lowest group number not in use and not waiting for a firmware-described device. */
    int lowestFreeGroupId() {
        int id = 0;
        while (k.groups.containsKey(id) || k.lateGroupIds.contains(id)) {
            id++;
        }
        return id;
    }

    /** The present PCI functions on dev's bus (same parent bridge, same bus number). */
    List<Device> sameBus(Device dev) {
        List<Device> out = new ArrayList<>();
        Iterable<Device> candidates = dev.parent() != null ? dev.parent().children()
                : k.rootBuses.getOrDefault(dev.bdf().busKey(), List.of());
        for (Device d : candidates) {
            if (d.present && d.bdf() != null && d.parent() == dev.parent() && d.bdf().busKey() == dev.bdf().busKey()) {
                out.add(d);
            }
        }
        return out;
    }
}
