package dev.iommufx.plan;

import dev.iommufx.engine.GroupState;
import java.util.List;

/**
 * One IOMMU group the plan gives to the VM: every member and what must happen to it.
 *
 * @param group       the group number
 * @param stateBefore the group's state when the plan was made
 * @param members     every member, in the group's order
 */
public record GroupPlan(int group, GroupState stateBefore, List<MemberPlan> members) {
    public GroupPlan {
        members = List.copyOf(members);
    }

    /** The member with this id, or null. */
    public MemberPlan member(String device) {
        return members.stream().filter(m -> m.device().equals(device)).findFirst().orElse(null);
    }
}
