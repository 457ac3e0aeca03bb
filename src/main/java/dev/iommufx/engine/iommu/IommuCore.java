package dev.iommufx.engine.iommu;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENODEV;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.EPERM;
import static dev.iommufx.engine.Errno.EPROBE_DEFER;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Domain;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.KernelState;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.engine.StateWriter;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.DomainType;

/**
 * The IOMMU core's ownership and attach API, {@code drivers/iommu/iommu.c} as of Linux 6.1
 * (kernel-model §3). Each method checks its conditions in the kernel's order and returns
 * 0 or a negative errno, recording its frame on the call path.
 */
public final class IommuCore {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;

    public IommuCore(KernelState state, StateWriter w, Trace trace) {
        this.state = state;
        this.w = w;
        this.trace = trace;
    }

    /** iommu.c: iommu_device_use_default_domain() (6.1): count a DMA-API user, refuse one in a claimed group. */
    public int iommuDeviceUseDefaultDomain(Device dev) {
        Frame f = trace.enter("iommu_device_use_default_domain");
        IommuGroup group = dev.group();
        if (group == null) {
            return trace.leave(f, 0, "{} has no IOMMU group, so nothing is counted", dev);
        }
        if (group.defaultDomain() == null && state.profile().has(ProfileRule.USE_DEFERS_WITHOUT_DEFAULT)) {
            return trace.leave(f, -EPROBE_DEFER.code(), "group {} has no default domain yet: bus_iommu_probe() may "
                    + "still be finalising it", group.id());
        }
        if (group.ownerCount() != 0) {
            if (group.owner() != null) {
                return trace.leave(f, -EBUSY.code(), "group {} is owned by user {}", group.id(), group.owner());
            }
            if (!iommuIsDefaultDomain(group)) {
                return trace.leave(f, -EBUSY.code(), "group {} is not on its default domain but on {}",
                        group.id(), group.domain());
            }
        }
        w.ownerCnt(group, group.ownerCount() + 1);
        return trace.leave(f, 0, "owner_cnt of group {} is now {}", group.id(), group.ownerCount());
    }

    /** iommu.c: iommu_device_unuse_default_domain() (6.1): WARN_ON(!owner_cnt), else decrement. */
    public void iommuDeviceUnuseDefaultDomain(Device dev) {
        Frame f = trace.enter("iommu_device_unuse_default_domain");
        IommuGroup group = dev.group();
        if (group == null) {
            trace.leaveWith(f, "void", "{} has no IOMMU group", dev);
            return;
        }
        if (trace.warnOn(group.ownerCount() == 0, "iommu_device_unuse_default_domain",
                "WARN_ON(!group->owner_cnt): group {} has no DMA-API user to release", group.id())) {
            trace.leaveWith(f, "void", "owner_cnt of group {} stays 0", group.id());
            return;
        }
        w.ownerCnt(group, group.ownerCount() - 1);
        trace.leaveWith(f, "void", "owner_cnt of group {} is now {}", group.id(), group.ownerCount());
    }

    /** Who holds owner_cnt up, for people: "0000:01:00.1 is bound to snd_hda_intel" (not a kernel function). */
    private static String dmaApiUsers(IommuGroup group) {
        java.util.List<String> users = new java.util.ArrayList<>();
        for (Device d : group.devices()) {
            if (d.driver() != null && !d.driver().driverManagedDma()) {
                users.add(d.id() + " is bound to " + d.driver().name());
            }
        }
        return users.isEmpty() ? group.ownerCount() + " kernel driver(s) use the DMA API in it"
                : String.join(", ", users) + " (a kernel driver using the DMA API)";
    }

    /** iommu.c: iommu_is_default_domain() (6.1, from 2380f1e8195e): default, or identity standing in for identity. */
    boolean iommuIsDefaultDomain(IommuGroup group) {
        if (group.domain() == group.defaultDomain()) {
            return true;
        }
        return state.profile().has(ProfileRule.IDENTITY_COUNTS_AS_DEFAULT) && group.defaultDomain() != null
                && group.domain() != null && group.defaultDomain().type() == DomainType.IDENTITY
                && group.domain().type() == DomainType.IDENTITY;
    }

    /** iommu.c: iommu_group_claim_dma_owner() (6.1): user ownership, on the blocking domain. */
    public int iommuGroupClaimDmaOwner(IommuGroup group, String owner) {
        Frame f = trace.enter("iommu_group_claim_dma_owner");
        if (group == null) {
            return trace.leave(f, -ENOENT.code(), "no such IOMMU group");
        }
        if (group.ownerCount() != 0) {
            String who = group.owner() != null ? "already claimed by " + group.owner() : dmaApiUsers(group);
            return trace.leave(f, -EPERM.code(), "owner_cnt of group {} is {}: {}", group.id(), group.ownerCount(),
                    who);
        }
        if (state.profile().has(ProfileRule.CLAIM_DETACHES)) {
            if (group.domain() != null && group.domain() != group.defaultDomain()) {
                return trace.leave(f, -EBUSY.code(), "group {} is on {}, not its default domain", group.id(),
                        group.domain());
            }
            w.owner(group, owner);
            iommuDetachGroupV7(group);
            w.ownerCnt(group, group.ownerCount() + 1);
            return trace.leave(f, 0, "group {} is owned by {} and detached: no domain blocks its DMA", group.id(),
                    owner);
        }
        int ret = iommuTakeDmaOwnership(group, owner);
        return trace.leave(f, ret, ret == 0 ? "group {} is owned by {} and blocked" : "could not claim group {}",
                group.id(), owner);
    }

    /** iommu.c: __iommu_take_dma_ownership() (newest; inline in 6.1): block the group, then record the owner. */
    private int iommuTakeDmaOwnership(IommuGroup group, String owner) {
        if (group.domain() != null && group.domain() != group.defaultDomain()) {
            return trace.leaf("__iommu_take_dma_ownership", -EBUSY.code(), "group {} is on {}, not its default domain",
                    group.id(), group.domain());
        }
        iommuGroupAllocBlockingDomain(group);
        iommuGroupSetDomain(group, group.blockingDomain());
        w.owner(group, owner);
        w.ownerCnt(group, group.ownerCount() + 1);
        return 0;
    }

    /**
     * iommu.c: __iommu_detach_group() of the v7 series: with an owner (or no default domain) every device is
     * detached with ops->detach_dev and the group is left on no domain (§7a, §7c.1).
     */
    private void iommuDetachGroupV7(IommuGroup group) {
        if (group.domain() == null) {
            return;
        }
        Frame f = trace.enter("__iommu_detach_group");
        w.domain(group, null);
        trace.leaveWith(f, "void", "ops->detach_dev on {} device(s): group {} is on no domain; what its DMA "
                + "does now is up to the IOMMU driver (bypass for many; without detach_dev the kernel's DMA domain "
                + "stays)", group.devices().size(), group.id());
    }

    /** iommu.c: iommu_group_release_dma_owner() (6.1): back to the default domain (or platform DMA ops). */
    public int iommuGroupReleaseDmaOwner(IommuGroup group) {
        Frame f = trace.enter("iommu_group_release_dma_owner");
        if (group == null) {
            return trace.leave(f, -ENOENT.code(), "no such IOMMU group");
        }
        if (trace.warnOn(group.ownerCount() == 0 || group.owner() == null, "iommu_group_release_dma_owner",
                "WARN_ON(!group->owner_cnt || !group->owner): group {} is not user-owned", group.id())) {
            return trace.leave(f, 0, "nothing released");
        }
        String was = group.owner();
        iommuReleaseDmaOwnership(group);
        return trace.leave(f, 0, "{} released group {}", was, group.id());
    }

    /** iommu.c: __iommu_release_dma_ownership() (newest; inline in 6.1 and v7): back to the default domain. */
    private void iommuReleaseDmaOwnership(IommuGroup group) {
        w.ownerCnt(group, 0);
        w.owner(group, null);
        if (state.profile().has(ProfileRule.RELEASE_WANTS_DETACHED) && trace.warnOn(group.domain() != null,
                "iommu_group_release_dma_owner", "WARN_ON(group->domain): {} is still attached to group {}; the "
                        + "default domain is not re-attached", group.domain(), group.id())) {
            return;
        }
        iommuGroupSetDomain(group, group.defaultDomain());
    }

    /** iommu.c: iommu_device_claim_dma_owner() (6.2+): a per-device claim; the same cookie counts up. */
    public int iommuDeviceClaimDmaOwner(Device dev, String owner) {
        Frame f = trace.enter("iommu_device_claim_dma_owner");
        IommuGroup group = dev.group();
        if (group == null) {
            return trace.leave(f, -ENODEV.code(), "{} has no IOMMU group", dev);
        }
        if (group.ownerCount() != 0) {
            if (!owner.equals(group.owner())) {
                String who = group.owner() != null ? "claimed by " + group.owner()
                        : "used through the DMA API by " + group.ownerCount() + " kernel driver(s)";
                return trace.leave(f, -EPERM.code(), "group {} is {}", group.id(), who);
            }
            w.ownerCnt(group, group.ownerCount() + 1);
            return trace.leave(f, 0, "{} already owns group {}: owner_cnt is now {}", owner, group.id(),
                    group.ownerCount());
        }
        int ret = iommuTakeDmaOwnership(group, owner);
        return trace.leave(f, ret, ret == 0 ? "group {} is owned by {} and blocked" : "could not claim group {}",
                group.id(), owner);
    }

    /** iommu.c: iommu_device_release_dma_owner() (6.2+): count down; the last one releases the group. */
    public void iommuDeviceReleaseDmaOwner(Device dev) {
        Frame f = trace.enter("iommu_device_release_dma_owner");
        IommuGroup group = dev.group();
        if (group.ownerCount() > 1) {
            w.ownerCnt(group, group.ownerCount() - 1);
            trace.leaveWith(f, "void", "{} still owns group {} through {} device(s)", group.owner(), group.id(),
                    group.ownerCount());
            return;
        }
        String was = group.owner();
        iommuReleaseDmaOwnership(group);
        trace.leaveWith(f, "void", "{} released group {}: back on {}", was, group.id(), group.domain());
    }

    /** iommu.c: iommu_group_dma_owner_claimed() (6.1): owner_cnt != 0, for DMA-API users and user claims alike. */
    public boolean iommuGroupDmaOwnerClaimed(IommuGroup group) {
        Frame f = trace.enter("iommu_group_dma_owner_claimed");
        boolean claimed = group.ownerCount() != 0;
        trace.leaveWith(f, String.valueOf(claimed), "owner_cnt of group {} is {}", group.id(), group.ownerCount());
        return claimed;
    }

    /**
     * iommu.c: __iommu_group_alloc_blocking_domain() (6.1): BLOCKED if the driver can, else an empty unmanaged one.
     * The kernel's can fail with -ENOMEM; the simulation never runs out of memory, so this one returns nothing and
     * its callers have no failure to unwind.
     */
    private void iommuGroupAllocBlockingDomain(IommuGroup group) {
        if (group.blockingDomain() != null) {
            return;
        }
        Frame f = trace.enter("__iommu_group_alloc_blocking_domain");
        if (state.staticBlockedDomain() != null) {
            w.blockingDomain(group, state.staticBlockedDomain());
            trace.leave(f, 0, "the IOMMU driver's static ops->blocked_domain blocks DMA");
            return;
        }
        w.blockingDomain(group, state.newDomain(DomainType.UNMANAGED, "blocking domain of group " + group.id()));
        trace.leave(f, 0, "the IOMMU driver has no BLOCKED domains: an empty unmanaged domain blocks DMA");
    }

    /**
     * iommu.c: __iommu_group_set_domain() (6.1): attach every member; NULL detaches to platform DMA ops.
     * The kernel's returns the IOMMU driver's attach_dev() error, and its callers WARN when it fails ("iommu driver
     * failed to attach the default domain"); no simulated IOMMU driver refuses an attach, so this one returns
     * nothing and those WARNs cannot fire.
     */
    void iommuGroupSetDomain(IommuGroup group, Domain next) {
        if (group.domain() == next) {
            return;
        }
        Frame f = trace.enter("__iommu_group_set_domain");
        w.domain(group, next);
        if (next == null) {
            trace.leave(f, 0, "ops->detach_dev on {} device(s): group {} is back on {}",
                    group.devices().size(), group.id(), group.detachedLabel());
            return;
        }
        trace.leave(f, 0, "{} device(s) of group {} attached to {}", group.devices().size(), group.id(), next);
    }

    /**
     * iommu.c: iommu_group_replace_domain() (6.12, for iommufd): the whole group moves from the domain it is on to
     * another in one step, without passing through the blocking domain.
     */
    public void iommuGroupReplaceDomain(IommuGroup group, Domain next) {
        Domain was = group.domain();
        w.domain(group, next);
        trace.leaf("iommu_group_replace_domain", 0, "group {} moves from {} to {}", group.id(), was, next);
    }

    /** iommu.c: __iommu_group_set_core_domain() (6.1): blocking domain if owned, else default. */
    void iommuGroupSetCoreDomain(IommuGroup group) {
        if (state.profile().has(ProfileRule.CLAIM_DETACHES)
                && (group.owner() != null || group.defaultDomain() == null)) {
            iommuDetachGroupV7(group);
            return;
        }
        iommuGroupSetDomain(group, group.owner() != null ? group.blockingDomain() : group.defaultDomain());
    }

    /** iommu.c: iommu_attach_group() / __iommu_attach_group() (6.1): no ownership check; one non-core domain. */
    public int iommuAttachGroup(Domain domain, IommuGroup group) {
        Frame f = trace.enter("iommu_attach_group");
        if (group == null) {
            return trace.leave(f, -ENOENT.code(), "no such IOMMU group");
        }
        Domain on = group.domain();
        if (on != null && on != group.defaultDomain() && on != group.blockingDomain()) {
            return trace.leave(f, -EBUSY.code(), "group {} already has {} attached", group.id(), on);
        }
        iommuGroupSetDomain(group, domain);
        return trace.leave(f, 0, "group {} is on {}", group.id(), domain);
    }

    /** iommu.c: iommu_detach_group() (6.1): the domain argument is ignored; back to the core domain. */
    public int iommuDetachGroup(Domain domain, IommuGroup group) {
        Frame f = trace.enter("iommu_detach_group");
        if (group == null) {
            return trace.leave(f, -ENOENT.code(), "no such IOMMU group");
        }
        iommuGroupSetCoreDomain(group);
        return trace.leave(f, 0, "group {} is back on {}", group.id(),
                group.domain() == null ? group.detachedLabel() : group.domain());
    }

    /** iommu.c: iommu_attach_device() (6.1): only for a group with exactly one device. */
    public int iommuAttachDevice(Domain domain, Device dev) {
        Frame f = trace.enter("iommu_attach_device");
        IommuGroup group = dev == null ? null : dev.group();
        if (group == null) {
            return trace.leave(f, -ENODEV.code(), "the device has no IOMMU group");
        }
        if (group.devices().size() != 1) {
            return trace.leave(f, -EINVAL.code(),
                    "group {} has {} devices; iommu_attach_device() needs a singleton group",
                    group.id(), group.devices().size());
        }
        int ret = iommuAttachGroup(domain, group);
        return trace.leave(f, ret, ret == 0 ? "attached" : "refused");
    }

    /** iommu.c: iommu_detach_device() (6.1): WARNs unless the domain is attached and the group is a singleton. */
    public int iommuDetachDevice(Domain domain, Device dev) {
        Frame f = trace.enter("iommu_detach_device");
        IommuGroup group = dev == null ? null : dev.group();
        if (group == null) {
            return trace.leave(f, 0, "the device has no IOMMU group");
        }
        if (trace.warnOn(domain != group.domain(), "iommu_detach_device",
                "WARN_ON(domain != group->domain): {} is not attached", domain)) {
            return trace.leave(f, 0, "nothing detached");
        }
        if (trace.warnOn(group.devices().size() != 1, "iommu_detach_device",
                "WARN_ON(iommu_group_device_count(group) != 1)")) {
            return trace.leave(f, 0, "nothing detached");
        }
        iommuGroupSetCoreDomain(group);
        return trace.leave(f, 0, "group {} is back on {}", group.id(), group.domain());
    }
}
