package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENODEV;
import static dev.iommufx.engine.Err.ENOENT;
import static dev.iommufx.engine.Err.EPERM;

import dev.iommufx.model.DomainType;

/**
 * The IOMMU core's ownership and attach API, {@code drivers/iommu/iommu.c} as of Linux 6.1
 * (kernel-semantics §3 and §5). Each method checks its conditions in the kernel's order and returns
 * 0 or a negative errno, recording its frame on the call path.
 */
final class IommuCore {
    private final Kernel k;

    IommuCore(Kernel kernel) {
        this.k = kernel;
    }

    /** iommu.c: iommu_device_use_default_domain() (6.1): count a DMA-API user, refuse one in a claimed group. */
    int useDefaultDomain(Device dev) {
        Frame f = k.trace.enter("iommu_device_use_default_domain");
        IommuGroup group = dev.group;
        if (group == null) {
            return k.trace.leave(f, 0, "{} has no IOMMU group, so nothing is counted", dev);
        }
        if (group.ownerCnt != 0) {
            if (group.owner != null) {
                return k.trace.leave(f, -EBUSY, "group {} is owned by user {}", group.id(), group.owner);
            }
            if (!isDefaultDomain(group)) {
                return k.trace.leave(f, -EBUSY, "group {} is not on its default domain but on {}",
                        group.id(), group.domain);
            }
        }
        k.w.ownerCnt(group, group.ownerCnt + 1);
        return k.trace.leave(f, 0, "owner_cnt of group {} is now {}", group.id(), group.ownerCnt);
    }

    /** iommu.c: iommu_device_unuse_default_domain() (6.1): WARN_ON(!owner_cnt), else decrement. */
    void unuseDefaultDomain(Device dev) {
        Frame f = k.trace.enter("iommu_device_unuse_default_domain");
        IommuGroup group = dev.group;
        if (group == null) {
            k.trace.leaveWith(f, "void", "{} has no IOMMU group", dev);
            return;
        }
        if (group.ownerCnt == 0) {
            k.trace.warn("iommu_device_unuse_default_domain", "WARN_ON(!group->owner_cnt): group " + group.id()
                    + " has no DMA-API user to release");
            k.trace.leaveWith(f, "void", "owner_cnt of group {} stays 0", group.id());
            return;
        }
        k.w.ownerCnt(group, group.ownerCnt - 1);
        k.trace.leaveWith(f, "void", "owner_cnt of group {} is now {}", group.id(), group.ownerCnt);
    }

    /** iommu.c: iommu_is_default_domain() (6.1, from 2380f1e8195e): default, or identity standing in for identity. */
    boolean isDefaultDomain(IommuGroup group) {
        if (group.domain == group.defaultDomain) {
            return true;
        }
        return group.defaultDomain != null && group.domain != null
                && group.defaultDomain.type() == DomainType.IDENTITY && group.domain.type() == DomainType.IDENTITY;
    }

    /** iommu.c: iommu_group_claim_dma_owner() (6.1): user ownership, on the blocking domain. */
    int claimDmaOwner(IommuGroup group, String owner) {
        Frame f = k.trace.enter("iommu_group_claim_dma_owner");
        if (group == null) {
            return k.trace.leave(f, -ENOENT, "no such IOMMU group");
        }
        if (group.ownerCnt != 0) {
            String who = group.owner != null ? "already claimed by " + group.owner
                    : group.ownerCnt + " kernel driver(s) use the DMA API in it";
            return k.trace.leave(f, -EPERM, "owner_cnt of group {} is {}: {}", group.id(), group.ownerCnt, who);
        }
        if (group.domain != null && group.domain != group.defaultDomain) {
            return k.trace.leave(f, -EBUSY, "group {} is on {}, not its default domain", group.id(), group.domain);
        }
        int ret = allocBlockingDomain(group);
        if (ret == 0) {
            ret = setDomain(group, group.blockingDomain);
        }
        if (ret != 0) {
            return k.trace.leave(f, ret, "could not block group {}", group.id());
        }
        k.w.owner(group, owner);
        k.w.ownerCnt(group, group.ownerCnt + 1);
        return k.trace.leave(f, 0, "group {} is owned by {} and blocked", group.id(), owner);
    }

    /** iommu.c: iommu_group_release_dma_owner() (6.1): back to the default domain (or platform DMA ops). */
    int releaseDmaOwner(IommuGroup group) {
        Frame f = k.trace.enter("iommu_group_release_dma_owner");
        if (group == null) {
            return k.trace.leave(f, -ENOENT, "no such IOMMU group");
        }
        if (group.ownerCnt == 0 || group.owner == null) {
            k.trace.warn("iommu_group_release_dma_owner", "WARN_ON(!group->owner_cnt || !group->owner): group "
                    + group.id() + " is not user-owned");
            return k.trace.leave(f, 0, "nothing released");
        }
        String was = group.owner;
        k.w.ownerCnt(group, 0);
        k.w.owner(group, null);
        if (setDomain(group, group.defaultDomain) != 0) {
            k.trace.warn("iommu_group_release_dma_owner", "iommu driver failed to attach the default domain");
        }
        return k.trace.leave(f, 0, "{} released group {}", was, group.id());
    }

    /** iommu.c: iommu_group_dma_owner_claimed() (6.1): owner_cnt != 0, for DMA-API users and user claims alike. */
    boolean dmaOwnerClaimed(IommuGroup group) {
        Frame f = k.trace.enter("iommu_group_dma_owner_claimed");
        boolean claimed = group.ownerCnt != 0;
        k.trace.leaveWith(f, String.valueOf(claimed), "owner_cnt of group {} is {}", group.id(), group.ownerCnt);
        return claimed;
    }

    /** iommu.c: __iommu_group_alloc_blocking_domain() (6.1): BLOCKED if the driver can, else an empty unmanaged one. */
    private int allocBlockingDomain(IommuGroup group) {
        if (group.blockingDomain != null) {
            return 0;
        }
        Frame f = k.trace.enter("__iommu_group_alloc_blocking_domain");
        k.w.blockingDomain(group, k.newDomain(DomainType.UNMANAGED, "blocking domain of group " + group.id()));
        return k.trace.leave(f, 0, "the IOMMU driver has no BLOCKED domains: an empty unmanaged domain blocks DMA");
    }

    /** iommu.c: __iommu_group_set_domain() (6.1): attach every member; NULL detaches to platform DMA ops. */
    int setDomain(IommuGroup group, Domain next) {
        if (group.domain == next) {
            return 0;
        }
        Frame f = k.trace.enter("__iommu_group_set_domain");
        k.w.domain(group, next);
        if (next == null) {
            return k.trace.leave(f, 0, "ops->detach_dev on {} device(s): group {} is back on platform DMA ops",
                    group.devices.size(), group.id());
        }
        return k.trace.leave(f, 0, "{} device(s) of group {} attached to {}", group.devices.size(), group.id(), next);
    }

    /** iommu.c: __iommu_group_set_core_domain() (6.1): blocking domain if owned, else default. */
    void setCoreDomain(IommuGroup group) {
        Domain next = group.owner != null ? group.blockingDomain : group.defaultDomain;
        if (setDomain(group, next) != 0) {
            k.trace.warn("__iommu_group_set_core_domain", "iommu driver failed to attach the default/blocking domain");
        }
    }

    /** iommu.c: iommu_attach_group() / __iommu_attach_group() (6.1): no ownership check; one non-core domain. */
    int attachGroup(Domain domain, IommuGroup group) {
        Frame f = k.trace.enter("iommu_attach_group");
        if (group == null) {
            return k.trace.leave(f, -ENOENT, "no such IOMMU group");
        }
        if (group.domain != null && group.domain != group.defaultDomain && group.domain != group.blockingDomain) {
            return k.trace.leave(f, -EBUSY, "group {} already has {} attached", group.id(), group.domain);
        }
        setDomain(group, domain);
        return k.trace.leave(f, 0, "group {} is on {}", group.id(), domain);
    }

    /** iommu.c: iommu_detach_group() (6.1): the domain argument is ignored; back to the core domain. */
    int detachGroup(Domain domain, IommuGroup group) {
        Frame f = k.trace.enter("iommu_detach_group");
        if (group == null) {
            return k.trace.leave(f, -ENOENT, "no such IOMMU group");
        }
        setCoreDomain(group);
        return k.trace.leave(f, 0, "group {} is back on {}", group.id(),
                group.domain == null ? "platform DMA ops" : group.domain);
    }

    /** iommu.c: iommu_attach_device() (6.1): only for a group with exactly one device. */
    int attachDevice(Domain domain, Device dev) {
        Frame f = k.trace.enter("iommu_attach_device");
        IommuGroup group = dev == null ? null : dev.group;
        if (group == null) {
            return k.trace.leave(f, -ENODEV, "the device has no IOMMU group");
        }
        if (group.devices.size() != 1) {
            return k.trace.leave(f, -EINVAL, "group {} has {} devices; iommu_attach_device() needs a singleton group",
                    group.id(), group.devices.size());
        }
        int ret = attachGroup(domain, group);
        return k.trace.leave(f, ret, ret == 0 ? "attached" : "refused");
    }

    /** iommu.c: iommu_detach_device() (6.1): WARNs unless the domain is attached and the group is a singleton. */
    int detachDevice(Domain domain, Device dev) {
        Frame f = k.trace.enter("iommu_detach_device");
        IommuGroup group = dev == null ? null : dev.group;
        if (group == null) {
            return k.trace.leave(f, 0, "the device has no IOMMU group");
        }
        if (domain != group.domain) {
            k.trace.warn("iommu_detach_device", "WARN_ON(domain != group->domain): " + domain + " is not attached");
            return k.trace.leave(f, 0, "nothing detached");
        }
        if (group.devices.size() != 1) {
            k.trace.warn("iommu_detach_device", "WARN_ON(iommu_group_device_count(group) != 1)");
            return k.trace.leave(f, 0, "nothing detached");
        }
        setCoreDomain(group);
        return k.trace.leave(f, 0, "group {} is back on {}", group.id(), group.domain);
    }

    /** iommu.c: iommu_group_store_type() and iommu_change_dev_def_domain() (6.1), the sysfs {@code type} write. */
    int groupStoreType(int groupId, String buf) {
        Frame f = k.trace.enter("iommu_group_store_type");
        IommuGroup group = k.groupOrNull(groupId);
        if (group == null) {
            return k.trace.leave(f, -ENOENT, "/sys/kernel/iommu_groups/{} does not exist", groupId);
        }
        if (group.defaultDomain == null) {
            return k.trace.leave(f, -EINVAL, "group {} has no default domain", groupId);
        }
        DomainType req = buf.equals("auto") ? null : DomainType.fromSysfsName(buf);
        if (!buf.equals("auto") && (req == null || !req.canBeDefault())) {
            return k.trace.leave(f, -EINVAL, "'{}' is not identity, DMA, DMA-FQ or auto", buf);
        }
        if (group.devices.size() != 1) {
            k.trace.log("iommu: Cannot change default domain: Group has more than one device");
            return k.trace.leave(f, -EINVAL, "group {} has {} devices; 6.1 changes only singleton groups",
                    groupId, group.devices.size());
        }
        Device dev = group.devices.get(0);
        if (dev.driver != null && !(req == DomainType.DMA_FQ && group.defaultDomain.type() == DomainType.DMA)) {
            k.trace.log("iommu: Device is still bound to driver");
            return k.trace.leave(f, -EBUSY, "{} is bound to {}", dev, dev.driver);
        }
        int ret = changeDevDefDomain(group, dev, req);
        return k.trace.leave(f, ret, ret == 0 ? "type reads {}" : "type unchanged", group.sysfsType());
    }

    /** iommu.c: iommu_change_dev_def_domain() (6.1). */
    private int changeDevDefDomain(IommuGroup group, Device dev, DomainType type) {
        Frame f = k.trace.enter("iommu_change_dev_def_domain");
        if (group.defaultDomain != group.domain) {
            k.trace.log(dev + ": Group not assigned to default domain");
            return k.trace.leave(f, -EBUSY, "group {} is on {}, not its default domain", group.id(), group.domain);
        }
        DomainType devDef = dev.spec().requiredDomain();
        if (type == null) {
            type = devDef != null ? devDef : k.defaultDomainType;
        } else if (devDef != null && type != devDef) {
            k.trace.log(dev + ": Device cannot be in " + type.sysfsName() + " domain");
            return k.trace.leave(f, -EINVAL, "{} requires a {} domain", dev, devDef.sysfsName());
        }
        Domain prev = group.defaultDomain;
        if (prev.type() == type) {
            return k.trace.leave(f, 0, "already {}", type.sysfsName());
        }
        if (type == DomainType.DMA_FQ && prev.type() == DomainType.DMA) {
            k.w.domainType(group, prev, DomainType.DMA_FQ);
            return k.trace.leave(f, 0, "flush queue added to the DMA domain in place");
        }
        Domain next = k.newDomain(type, "default " + type.sysfsName() + " domain of group " + group.id());
        k.w.defaultDomain(group, next);
        k.w.domain(group, next);
        return k.trace.leave(f, 0, "new default {} domain attached, old one freed", type.sysfsName());
    }
}
