package dev.iommufx.engine.iommu;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Domain;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.pci.PciDeviceGroup;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;

/**
 * Devices entering and leaving IOMMU groups: {@code iommu_probe_device()}, {@code iommu_group_add_device()},
 * {@code iommu_release_device()} and group allocation (6.1 {@code drivers/iommu/iommu.c}, kernel-model §3.10).
 */
public final class IommuProbe {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;

    public IommuProbe(KernelState state, StateWriter w, Trace trace) {
        this.state = state;
        this.w = w;
        this.trace = trace;
    }

    /** iommu.c: iommu_probe_device() (6.1), run from the bus notifier when a device is added. */
    public void iommuProbeDevice(Device dev) {
        Frame f = trace.enter("iommu_probe_device");
        IommuGroup group;
        if (dev.spec().groupAtDmaConfigure() && dev.spec().group() != null) {
            group = declaredGroup(dev.spec().group());
        } else if (dev.bus() != BusType.PCI) {
            trace.leaveWith(f, "skipped", "{} is not a PCI function; its group comes from the topology", dev);
            return;
        } else if (!state.topology().iommuEnabled()) {
            trace.leaveWith(f, "-ENODEV", "no IOMMU translates {}: the IOMMU is off", dev);
            return;
        } else {
            group = new PciDeviceGroup(state::busDevices, trace).find(dev);
        }
        if (group == null) {
            group = iommuGroupAlloc();
        }
        iommuGroupAddDevice(group, dev);
        iommuAllocDefaultDomain(group, dev);
        if (group.defaultDomain() != null && group.owner() == null) {
            trace.leaf("__iommu_attach_device", 0, "{} attached to the default domain", dev);
        } else if (group.owner() != null) {
            trace.leaf("__iommu_attach_device", 0,
                    "group {} is claimed by {}: {} stays on {}, not the default domain", group.id(), group.owner(),
                    dev, group.domain());
        }
        trace.leaveWith(f, "0", "{} is in group {} ({})", dev, group.id(), GroupState.code(group));
    }

    /** iommu.c: iommu_group_add_device(): join the list and the group's current domain. */
    private void iommuGroupAddDevice(IommuGroup group, Device dev) {
        Frame f = trace.enter("iommu_group_add_device");
        w.joinGroup(dev, group);
        trace.log("pci " + dev + ": Adding to iommu group " + group.id());
        trace.leaveWith(f, "0", group.domain() == null ? "no domain yet" : "attached to {}", group.domain());
    }

    /**
     * iommu.c: iommu_alloc_default_domain(): a new group gets the device's required type or the global
     * default. An IOMMU driver without default domains (6.1 s390-iommu, tegra-smmu, fsl_pamu) cannot
     * allocate one: the failure is ignored and the group stays on platform DMA ops (§1.3, §9 S7).
     */
    private void iommuAllocDefaultDomain(IommuGroup group, Device dev) {
        if (group.defaultDomain() != null) {
            return;
        }
        DomainType type = statedType(group, dev);
        if (type == null && !state.profile().has(ProfileRule.MANDATORY_DEFAULT_DOMAINS)) {
            trace.leaf("iommu_alloc_default_domain", 0, "the IOMMU driver has no default domains: group {} stays "
                    + "on {}", group.id(), group.detachedLabel());
            return;
        }
        type = type == null ? state.topology().iommuDetach() : type;
        Domain d = state.newDefaultDomain(type, group.id());
        w.defaultDomain(group, d);
        if (group.domain() == null) {
            w.domain(group, d);
        }
        trace.leaf("iommu_alloc_default_domain", 0, "group {} gets a {} default domain", group.id(), type.sysfsName());
    }

    /**
     * ops->device_group() for a firmware-described device: the group the topology states, created with its
     * stated default domain type if it does not exist yet.
     */
    private IommuGroup declaredGroup(int id) {
        IommuGroup g = state.group(id);
        if (g != null) {
            return g;
        }
        g = w.addGroup(id);
        trace.leaf("iommu_group_alloc", 0, "new group {}", id);
        return g;
    }

    /** The type a new default domain gets: the device's need, the topology's word for the group, or the default. */
    private DomainType statedType(IommuGroup group, Device dev) {
        if (dev.spec().requiredDomain() != null) {
            return dev.spec().requiredDomain();
        }
        if (dev.spec().groupAtDmaConfigure() && state.topology().group(group.id()) != null) {
            return state.topology().group(group.id()).defaultDomain();
        }
        return state.iommuHasDefaultDomains() ? state.defaultDomainType() : null;
    }

    /** iommu.c: iommu_group_alloc(): the lowest free group number (ida_alloc). */
    private IommuGroup iommuGroupAlloc() {
        int id = lowestFreeGroupId();
        IommuGroup g = w.addGroup(id);
        trace.leaf("iommu_group_alloc", 0, "new group {}", id);
        return g;
    }

    /** iommu.c: iommu_release_device() (6.1): leave the group; ownership and domain are untouched. */
    public void iommuReleaseDevice(Device dev) {
        IommuGroup group = dev.group();
        if (group == null) {
            return;
        }
        Frame f = trace.enter("iommu_release_device");
        trace.log("pci " + dev + ": Removing from iommu group " + group.id());
        w.leaveGroup(dev);
        boolean empty = group.devices().isEmpty();
        if (empty && state.profile().has(ProfileRule.EMPTY_GROUP_WARNS)) {
            trace.warnOn(group.ownerCount() != 0 || group.domain() != group.defaultDomain(),
                    "__iommu_group_free_device", "group {} became empty while {}", group.id(),
                    group.ownerCount() != 0 ? "owner_cnt is " + group.ownerCount() : "not on its default domain");
        }
        if (empty && group.vfioGroup() == null) {
            w.removeGroup(group);
            trace.leaveWith(f, "void", "group {} is empty and released", group.id());
            return;
        }
        trace.leaveWith(f, "void", "{} left group {}", dev, group.id());
    }

    /** The lowest group number not in use and not waiting for a firmware-described device. */
    public int lowestFreeGroupId() {
        int id = 0;
        while (state.group(id) != null || state.isLateGroupId(id)) {
            id++;
        }
        return id;
    }
}
