package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Plans run in the simulator: a good plan ends with the group user-claimed, a bad one is refused at the claim. */
class PlanApplyTest {

    @Test
    void assigningTheGpuAloneEndsWithGroup8UserClaimedAndLeavesTheRestAlone() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Snapshot before = Snapshot.of(k);
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));

        ApplyResult applied = plan.applyTo(k);

        assertThat(applied.results()).allMatch(OpResult::ok);
        assertThat(applied.results()).hasSize(5);
        assertThat(applied.everyGroupUserClaimed()).isTrue();
        assertThat(applied.groups()).containsExactly(Map.entry(8, GroupState.USER_CLAIMED));
        assertThat(k.group(8).state()).isEqualTo(GroupState.USER_CLAIMED);
        // the plan moved the audio function too
        assertThat(k.device(GPU).sysfsDriver().name()).isEqualTo("vfio-pci");
        assertThat(k.device(GPU_AUDIO).sysfsDriver().name()).isEqualTo("vfio-pci");

        Snapshot after = Snapshot.of(k);
        assertThat(without(after.groups(), 8)).isEqualTo(without(before.groups(), 8));
        Map<String, Snapshot.DeviceView> othersBefore = new TreeMap<>(before.devices());
        Map<String, Snapshot.DeviceView> othersAfter = new TreeMap<>(after.devices());
        othersBefore.keySet().removeAll(List.of(GPU, GPU_AUDIO));
        othersAfter.keySet().removeAll(List.of(GPU, GPU_AUDIO));
        assertThat(othersAfter).isEqualTo(othersBefore);
    }

    @Test
    void aPlanWithoutTheSiblingMoveIsRefusedWithEpermAtTheClaim() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Plan good = PassthroughPlanner.plan(k, List.of(GPU));
        GroupPlan g8 = good.group(8);
        // the bad plan, by hand: the HDMI audio function is left on snd_hda_intel
        List<MemberPlan> members = g8.members().stream()
                .map(m -> m.requested() ? m : m.withAction(MemberAction.NOTHING, null, "left alone by mistake"))
                .toList();
        Plan bad = new Plan(good.vm(), good.requested(), List.of(new GroupPlan(8, g8.stateBefore(), members)),
                List.of(), List.of());
        assertThat(bad.steps()).extracting(s -> s.describe())
                .doesNotContain("move device=0000:01:00.1 driver=vfio-pci");

        ApplyResult applied = bad.applyTo(k);

        assertThat(applied.everyGroupUserClaimed()).isFalse();
        OpResult refused = applied.failure();
        assertThat(refused).isNotNull();
        assertThat(refused.operation()).isEqualTo("give group 8 to VM1");
        assertThat(refused.errno()).isEqualTo(Errno.EPERM);
        assertThat(refused.cause().function()).isEqualTo("iommu_group_claim_dma_owner");
        assertThat(applied.results().get(applied.results().size() - 1)).isSameAs(refused);
        assertThat(k.group(8).state()).isEqualTo(GroupState.DMA_API_OWNED);
        assertThat(k.device(GPU_AUDIO).sysfsDriver().name()).isEqualTo("snd_hda_intel");
    }

    @Test
    void theKernelStepsReachTheSameEnd() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));
        ApplyResult applied = plan.applyKernelStepsTo(k);
        assertThat(applied.failure()).isNull();
        assertThat(applied.everyGroupUserClaimed()).isTrue();
        assertThat(applied.results()).extracting(OpResult::operation).startsWith(
                "driver_override 0000:01:00.0 = vfio-pci", "unbind 0000:01:00.0 from nouveau",
                "bind 0000:01:00.0 to vfio-pci");
    }

    @Test
    void severalGroupsGoToOneVm() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU, Machines.NIC, Machines.SRAM));
        assertThat(plan.groups()).extracting(GroupPlan::group).containsExactly(3, 8, 10);
        ApplyResult applied = plan.applyTo(k);
        assertThat(applied.everyGroupUserClaimed()).isTrue();
        assertThat(applied.groups()).containsOnlyKeys(3, 8, 10);
        assertThat(k.device(Machines.XHCI).sysfsDriver().name()).isEqualTo("vfio-pci");
    }

    private static <V> Map<Integer, V> without(Map<Integer, V> map, int key) {
        Map<Integer, V> copy = new TreeMap<>(map);
        copy.remove(key);
        return copy;
    }
}
