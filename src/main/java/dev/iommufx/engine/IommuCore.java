package dev.iommufx.engine;

import static dev.iommufx.engine.Err.EBUSY;
import static dev.iommufx.engine.Err.EINVAL;
import static dev.iommufx.engine.Err.ENODEV;
import static dev.iommufx.engine.Err.ENOENT;
import static dev.iommufx.engine.Err.EPERM;
import static dev.iommufx.engine.Err.EPROBE_DEFER;

import dev.iommufx.model.DomainType;

/**
 * The IOMMU core's ownership and attach API, {@code drivers/iommu/iommu.c} as of Linux 6.1
 * (kernel-model §3). Each method checks its conditions in the kernel's order and returns
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
        if (group.defaultDomain == null && k.profile.has(ProfileRule.USE_DEFERS_WITHOUT_DEFAULT)) {
            return k.trace.leave(f, -EPROBE_DEFER, "group {} has no default domain yet: bus_iommu_probe() may "
                    + "still be finalising it", group.id());
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
        return k.profile.has(ProfileRule.IDENTITY_COUNTS_AS_DEFAULT) && group.defaultDomain != null && group.domain != null
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
        if (k.profile.has(ProfileRule.CLAIM_DETACHES)) {
            if (group.domain != null && group.domain != group.defaultDomain) {
                return k.trace.leave(f, -EBUSY, "group {} is on {}, not its default domain", group.id(),
                        group.domain);
            }
            k.w.owner(group, owner);
            detachGroupV7(group);
            k.w.ownerCnt(group, group.ownerCnt + 1);
            return k.trace.leave(f, 0, "group {} is owned by {} and detached: no domain blocks its DMA", group.id(),
                    owner);
        }
        int ret = takeDmaOwnership(group, owner);
        return k.trace.leave(f, ret, ret == 0 ? "group {} is owned by {} and blocked" : "could not claim group {}",
                group.id(), owner);
    }

    /** iommu.c: __iommu_take_dma_ownership() (newest; inline in 6.1): block the group, then record the owner. */
    private int takeDmaOwnership(IommuGroup group, String owner) {
        if (group.domain != null && group.domain != group.defaultDomain) {
            return k.trace.leaf("__iommu_take_dma_ownership", -EBUSY, "group {} is on {}, not its default domain",
                    group.id(), group.domain);
        }
        int ret = allocBlockingDomain(group);
        if (ret == 0) {
            ret = setDomain(group, group.blockingDomain);
        }
        if (ret != 0) {
            return ret;
        }
        k.w.owner(group, owner);
        k.w.ownerCnt(group, group.ownerCnt + 1);
        return 0;
    }

    /**
     * iommu.c: __iommu_detach_group() of the v7 series: with an owner (or no default domain) every device is
     * detached with ops->detach_dev and the group is left on no domain (§7a, §7c.1).
     */
    private void detachGroupV7(IommuGroup group) {
        if (group.domain == null) {
            return;
        }
        Frame f = k.trace.enter("__iommu_detach_group");
        k.w.domain(group, null);
        k.trace.leaveWith(f, "void", "ops->detach_dev on {} device(s): group {} is on no domain; what its DMA "
                + "does now is up to the IOMMU driver (bypass for many; without detach_dev the kernel's DMA domain "
                + "stays)", group.devices.size(), group.id());
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
        releaseDmaOwnership(group);
        return k.trace.leave(f, 0, "{} released group {}", was, group.id());
    }

    /** iommu.c: __iommu_release_dma_ownership() (newest; inline in 6.1 and v7): back to the default domain. */
    private void releaseDmaOwnership(IommuGroup group) {
        k.w.ownerCnt(group, 0);
        k.w.owner(group, null);
        if (k.profile.has(ProfileRule.RELEASE_WANTS_DETACHED) && group.domain != null) {
            k.trace.warn("iommu_group_release_dma_owner", "WARN_ON(group->domain): " + group.domain
                    + " is still attached to group " + group.id() + "; the default domain is not re-attached");
            return;
        }
        if (setDomain(group, group.defaultDomain) != 0) {
            k.trace.warn("iommu_group_release_dma_owner", "iommu driver failed to attach the default domain");
        }
    }

    /** iommu.c: iommu_device_claim_dma_owner() (6.2+): a per-device claim; the same cookie counts up. */
    int claimDeviceDmaOwner(Device dev, String owner) {
        Frame f = k.trace.enter("iommu_device_claim_dma_owner");
        IommuGroup group = dev.group;
        if (group == null) {
            return k.trace.leave(f, -ENODEV, "{} has no IOMMU group", dev);
        }
        if (group.ownerCnt != 0) {
            if (!owner.equals(group.owner)) {
                String who = group.owner != null ? "claimed by " + group.owner
                        : "used through the DMA API by " + group.ownerCnt + " kernel driver(s)";
                return k.trace.leave(f, -EPERM, "group {} is {}", group.id(), who);
            }
            k.w.ownerCnt(group, group.ownerCnt + 1);
            return k.trace.leave(f, 0, "{} already owns group {}: owner_cnt is now {}", owner, group.id(),
                    group.ownerCnt);
        }
        int ret = takeDmaOwnership(group, owner);
        return k.trace.leave(f, ret, ret == 0 ? "group {} is owned by {} and blocked" : "could not claim group {}",
                group.id(), owner);
    }

    /** iommu.c: iommu_device_release_dma_owner() (6.2+): count down; the last one releases the group. */
    void releaseDeviceDmaOwner(Device dev) {
        Frame f = k.trace.enter("iommu_device_release_dma_owner");
        IommuGroup group = dev.group;
        if (group.ownerCnt > 1) {
            k.w.ownerCnt(group, group.ownerCnt - 1);
            k.trace.leaveWith(f, "void", "{} still owns group {} through {} device(s)", group.owner, group.id(),
                    group.ownerCnt);
            return;
        }
        String was = group.owner;
        releaseDmaOwnership(group);
        k.trace.leaveWith(f, "void", "{} released group {}: back on {}", was, group.id(), group.domain);
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
        if (k.staticBlockedDomain != null) {
            k.w.blockingDomain(group, k.staticBlockedDomain);
            return k.trace.leave(f, 0, "the IOMMU driver's static ops->blocked_domain blocks DMA");
        }
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
            return k.trace.leave(f, 0, "ops->detach_dev on {} device(s): group {} is back on {}",
                    group.devices.size(), group.id(), group.detachedLabel());
        }
        return k.trace.leave(f, 0, "{} device(s) of group {} attached to {}", group.devices.size(), group.id(), next);
    }

    /** iommu.c: __iommu_group_set_core_domain() (6.1): blocking domain if owned, else default. */
    void setCoreDomain(IommuGroup group) {
        if (k.profile.has(ProfileRule.CLAIM_DETACHES) && (group.owner != null || group.defaultDomain == null)) {
            detachGroupV7(group);
            return;
        }
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
                group.domain == null ? group.detachedLabel() : group.domain);
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
}
