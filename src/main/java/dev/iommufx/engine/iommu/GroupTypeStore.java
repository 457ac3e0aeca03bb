package dev.iommufx.engine.iommu;

import static dev.iommufx.engine.Errno.EBUSY;
import static dev.iommufx.engine.Errno.EINVAL;
import static dev.iommufx.engine.Errno.ENOENT;
import static dev.iommufx.engine.Errno.EPERM;

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
 * Writes to {@code /sys/kernel/iommu_groups/N/type} (kernel-model §5): 6.1's singleton-and-unbound rule,
 * and the newest kernels' "nobody owns the group" rule ({@link ProfileRule#STORE_TYPE_WHEN_UNOWNED}).
 */
public final class GroupTypeStore {
    private final KernelState state;
    private final StateWriter w;
    private final Trace trace;

    public GroupTypeStore(KernelState state, StateWriter w, Trace trace) {
        this.state = state;
        this.w = w;
        this.trace = trace;
    }

    /** iommu.c: iommu_group_store_type() and iommu_change_dev_def_domain() (6.1), the sysfs {@code type} write. */
    public int iommuGroupStoreType(int groupId, String buf) {
        if (state.profile().has(ProfileRule.STORE_TYPE_WHEN_UNOWNED)) {
            return iommuGroupStoreTypeNewest(groupId, buf);
        }
        Frame f = trace.enter("iommu_group_store_type");
        IommuGroup group = state.group(groupId);
        if (group == null) {
            return trace.leave(f, -ENOENT.code(), "/sys/kernel/iommu_groups/{} does not exist", groupId);
        }
        if (group.defaultDomain() == null) {
            return trace.leave(f, -EINVAL.code(), "group {} has no default domain", groupId);
        }
        DomainType req = buf.equals("auto") ? null : DomainType.fromSysfsName(buf);
        if (!buf.equals("auto") && (req == null || !req.canBeDefault())) {
            return trace.leave(f, -EINVAL.code(), "'{}' is not identity, DMA, DMA-FQ or auto", buf);
        }
        if (group.devices().size() != 1) {
            trace.log("iommu: Cannot change default domain: Group has more than one device");
            return trace.leave(f, -EINVAL.code(), "group {} has {} devices; 6.1 changes only singleton groups",
                    groupId, group.devices().size());
        }
        Device dev = group.devices().get(0);
        if (dev.driver() != null && !(req == DomainType.DMA_FQ && group.defaultDomain().type() == DomainType.DMA)) {
            trace.log("iommu: Device is still bound to driver");
            return trace.leave(f, -EBUSY.code(), "{} is bound to {}", dev, dev.driver());
        }
        int ret = iommuChangeDevDefDomain(group, dev, req);
        return trace.leave(f, ret, ret == 0 ? "type reads {}" : "type unchanged", group.sysfsType());
    }

    /** iommu.c: iommu_change_dev_def_domain() (6.1). */
    private int iommuChangeDevDefDomain(IommuGroup group, Device dev, DomainType type) {
        Frame f = trace.enter("iommu_change_dev_def_domain");
        if (group.defaultDomain() != group.domain()) {
            trace.log(dev + ": Group not assigned to default domain");
            return trace.leave(f, -EBUSY.code(), "group {} is on {}, not its default domain", group.id(),
                    group.domain());
        }
        DomainType devDef = dev.spec().requiredDomain();
        if (type == null) {
            type = devDef != null ? devDef : state.defaultDomainType();
        } else if (devDef != null && type != devDef) {
            trace.log(dev + ": Device cannot be in " + type.sysfsName() + " domain");
            return trace.leave(f, -EINVAL.code(), "{} requires a {} domain", dev, devDef.sysfsName());
        }
        Domain prev = group.defaultDomain();
        if (prev.type() == type) {
            return trace.leave(f, 0, "already {}", type.sysfsName());
        }
        if (type == DomainType.DMA_FQ && prev.type() == DomainType.DMA) {
            w.domainType(group, prev, DomainType.DMA_FQ);
            return trace.leave(f, 0, "flush queue added to the DMA domain in place");
        }
        Domain next = state.newDefaultDomain(type, group.id());
        w.defaultDomain(group, next);
        w.domain(group, next);
        return trace.leave(f, 0, "new default {} domain attached, old one freed", type.sysfsName());
    }

    /** iommu.c: iommu_group_store_type() (newest): the same parsing as 6.1, then {@link #storeTypeUnowned}. */
    private int iommuGroupStoreTypeNewest(int groupId, String buf) {
        IommuGroup group = state.group(groupId);
        if (group == null) {
            return trace.leaf("iommu_group_store_type", -ENOENT.code(), "/sys/kernel/iommu_groups/{} does not exist",
                    groupId);
        }
        DomainType req = buf.equals("auto") ? null : DomainType.fromSysfsName(buf);
        if (!buf.equals("auto") && (req == null || !req.canBeDefault())) {
            return trace.leaf("iommu_group_store_type", -EINVAL.code(), "'{}' is not identity, DMA, DMA-FQ or auto",
                    buf);
        }
        if (group.defaultDomain() == null) {
            return trace.leaf("iommu_group_store_type", -EINVAL.code(), "group {} has no default domain yet", groupId);
        }
        return storeTypeUnowned(group, req);
    }

    /**
     * iommu.c: iommu_group_store_type() (newest, from Lu Baolu's 2023 series): DMA to DMA-FQ in place at any
     * time; otherwise EPERM, without a log line, while anything owns the group (fixtures kernel-6.12 *-type).
     */
    private int storeTypeUnowned(IommuGroup group, DomainType req) {
        Frame f = trace.enter("iommu_group_store_type");
        if (req == DomainType.DMA_FQ && group.defaultDomain().type() == DomainType.DMA) {
            w.domainType(group, group.defaultDomain(), DomainType.DMA_FQ);
            return trace.leave(f, 0, "flush queue added to the DMA domain in place");
        }
        if (group.devices().isEmpty() || group.ownerCount() != 0) {
            return trace.leave(f, -EPERM.code(), "owner_cnt of group {} is {}: something owns its DMA", group.id(),
                    group.ownerCount());
        }
        int ret = iommuSetupDefaultDomain(group, req);
        return trace.leave(f, ret, ret == 0 ? "type reads {}" : "type unchanged", group.sysfsType());
    }

    /**
     * iommu.c: iommu_setup_default_domain() (newest): one type for all members. A requested type a member cannot
     * have is EINVAL; "auto" with members demanding different types takes identity (CONFLICT_PREFERS_IDENTITY).
     */
    private int iommuSetupDefaultDomain(IommuGroup group, DomainType req) {
        Frame f = trace.enter("iommu_setup_default_domain");
        if (group.defaultDomain().type() == DomainType.PLATFORM) {
            return trace.leave(f, -EINVAL.code(), "the IOMMU driver offers group {} only its platform domain",
                    group.id());
        }
        DomainType demanded = null;
        for (Device dev : group.devices()) {
            DomainType devDef = dev.spec().requiredDomain();
            if (devDef != null && req != null && devDef != req) {
                return trace.leave(f, -EINVAL.code(), "{} requires a {} domain", dev, devDef.sysfsName());
            }
            if (devDef != null && demanded != null && devDef != demanded) { // newest prefers identity (§1.3)
                devDef = DomainType.IDENTITY;
            }
            demanded = devDef != null ? devDef : demanded;
        }
        DomainType type = req != null ? req : demanded != null ? demanded : state.defaultDomainType();
        return replaceDefaultDomain(group, type, f);
    }

    private int replaceDefaultDomain(IommuGroup group, DomainType type, Frame f) {
        Domain prev = group.defaultDomain();
        if (prev.type() == type) {
            return trace.leave(f, 0, "already {}", type.sysfsName());
        }
        Domain next = state.newDefaultDomain(type, group.id());
        w.defaultDomain(group, next);
        w.domain(group, next); // iommu_setup_default_domain() moves the unowned group onto it, whatever it was on
        return trace.leave(f, 0, "new default {} domain attached, old one freed", type.sysfsName());
    }
}
