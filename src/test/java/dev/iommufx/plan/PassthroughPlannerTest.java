package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static dev.iommufx.plan.Machines.IGPU;
import static dev.iommufx.plan.Machines.NIC;
import static dev.iommufx.plan.Machines.ONBOARD_AUDIO;
import static dev.iommufx.plan.Machines.SATA;
import static dev.iommufx.plan.Machines.SRAM;
import static dev.iommufx.plan.Machines.XHCI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Errno;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Snapshot;
import dev.iommufx.engine.UserActions;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the planner says must happen, checked against kernel-model §2 and §4 and the bundled machines. */
class PassthroughPlannerTest {

    @Test
    void theGpuTakesItsHdmiAudioAlong() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.vm()).isEqualTo("VM1");
        assertThat(plan.groups()).extracting(GroupPlan::group).containsExactly(8);
        GroupPlan g8 = plan.group(8);
        assertThat(g8.stateBefore()).isEqualTo(GroupState.DMA_API_OWNED);
        MemberPlan gpu = g8.member(GPU);
        assertThat(gpu.action()).isEqualTo(MemberAction.ASSIGN);
        assertThat(gpu.requested()).isTrue();
        assertThat(gpu.currentDriver()).isEqualTo("nouveau");
        assertThat(gpu.targetDriver()).isEqualTo("vfio-pci");
        MemberPlan audio = g8.member(GPU_AUDIO);
        assertThat(audio.action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(audio.requested()).isFalse();
        assertThat(audio.currentDriver()).isEqualTo("snd_hda_intel");
        assertThat(audio.targetDriver()).isEqualTo("vfio-pci");
        assertThat(audio.reason()).contains("shares group 8").contains("DMA-API driver");

        // the other GPU (i915) still drives a display, the audio function is no loss worth a warning
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.steps()).extracting(Step::describe).containsExactly(
                "move device=0000:01:00.0 driver=vfio-pci",
                "move device=0000:01:00.1 driver=vfio-pci",
                "add_vm vm=VM1",
                "give_group_to_vm group=8 vm=VM1",
                "start_vm vm=VM1");
        assertThat(plan.kernelSteps()).extracting(Step::kind).startsWith(
                StepKind.DRIVER_OVERRIDE, StepKind.UNBIND, StepKind.BIND,
                StepKind.DRIVER_OVERRIDE, StepKind.UNBIND, StepKind.BIND, StepKind.VFIO_OPEN_CONTAINER);
    }

    @Test
    void theDescriptionNamesEveryMemberWithWhatHappensAndWhy() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(GPU));
        String text = plan.describe();
        assertThat(text).contains("Group 8 (DMA-API owned):")
                .contains("0000:01:00.0 GPU: GeForce RTX 4070 — nouveau → vfio-pci (asked for)")
                .contains("0000:01:00.1 GPU HDMI audio — must leave snd_hda_intel → vfio-pci: it shares group 8")
                .contains("1. move device=0000:01:00.0 driver=vfio-pci");
    }

    @Test
    void planningChangesNothing() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Snapshot before = Snapshot.of(k);
        PassthroughPlanner.plan(k, List.of(GPU, XHCI, SATA, "0000:09:00.0"));
        assertThat(Snapshot.of(k)).isEqualTo(before);
        assertThat(k.historySize()).isZero();
    }

    @Test
    void theUsbControllerWarnsOfKeyboardAndMouseAndTheSramNeedsNothing() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(SRAM));
        GroupPlan g3 = plan.group(3);
        assertThat(g3.member(SRAM).action()).isEqualTo(MemberAction.ASSIGN);
        assertThat(g3.member(SRAM).currentDriver()).isNull();
        assertThat(g3.member(XHCI).action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(g3.member(XHCI).currentDriver()).isEqualTo("xhci_hcd");
        assertThat(plan.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(PlanWarning.Kind.USB);
            assertThat(w.device()).isEqualTo(XHCI);
            assertThat(w.text()).contains("your keyboard and mouse may be on it");
        });
    }

    @Test
    void theSataControllerWarnsOfTheRootDisk() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(SATA));
        assertThat(plan.warnings()).extracting(PlanWarning::kind).containsExactly(PlanWarning.Kind.STORAGE);
        assertThat(plan.warnings().get(0).text()).contains("your root disk may be on it");
        assertThat(plan.group(4).member(SATA).action()).isEqualTo(MemberAction.ASSIGN);
    }

    @Test
    void onboardAudioDragsTheChipsetAlong() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(ONBOARD_AUDIO));
        GroupPlan g7 = plan.group(7);
        assertThat(g7.members()).extracting(MemberPlan::device)
                .containsExactlyInAnyOrder("0000:00:1f.0", ONBOARD_AUDIO, "0000:00:1f.4", "0000:00:1f.5");
        assertThat(g7.member("0000:00:1f.0").action()).isEqualTo(MemberAction.NOTHING);
        assertThat(g7.member("0000:00:1f.0").reason()).startsWith("no driver");
        assertThat(g7.member("0000:00:1f.4").action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(g7.member("0000:00:1f.5").action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(plan.warnings()).extracting(PlanWarning::kind, PlanWarning::device).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PlanWarning.Kind.CHIPSET, "0000:00:1f.0"),
                org.assertj.core.groups.Tuple.tuple(PlanWarning.Kind.CHIPSET, "0000:00:1f.4"));
        assertThat(plan.warnings().get(0).text()).contains("chipset function");
    }

    @Test
    void theOnlyDisplayLeftWarnsThatTheHostWillHaveNone() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        // the GPU alone: i915 still drives the integrated graphics
        assertThat(PassthroughPlanner.plan(k, List.of(GPU)).warnings()).isEmpty();
        // the integrated graphics alone: nouveau still drives the GPU
        assertThat(PassthroughPlanner.plan(k, List.of(IGPU)).warnings()).isEmpty();
        // both: nothing is left
        Plan both = PassthroughPlanner.plan(k, List.of(GPU, IGPU));
        assertThat(both.warnings()).extracting(PlanWarning::kind)
                .containsOnly(PlanWarning.Kind.ONLY_DISPLAY).hasSize(2);
        assertThat(both.warnings().get(0).text()).contains("the host will have no display");
        // a display controller bound to pci-stub drives no display
        new UserActions(k).moveToDriver(IGPU, "pci-stub");
        assertThat(PassthroughPlanner.plan(k, List.of(GPU)).warnings()).extracting(PlanWarning::kind)
                .containsExactly(PlanWarning.Kind.ONLY_DISPLAY);
    }

    @Test
    void theEthernetControllerWarnsOfTheNetwork() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of(NIC));
        assertThat(plan.warnings()).extracting(PlanWarning::kind).containsExactly(PlanWarning.Kind.NETWORK);
        assertThat(plan.warnings().get(0).text()).contains("the host may lose its network");
    }

    @Test
    void aVirtualFunctionIsNoNetworkLossButThePhysicalFunctionIsRefused() throws Exception {
        Kernel k = Machines.boot("sriov-nic.json");
        assertThat(k.sriovNumvfs("0000:03:00.0", 8).ok()).isTrue();
        Plan vf = PassthroughPlanner.plan(k, List.of("0000:03:02.0"));
        assertThat(vf.feasible()).isTrue();
        assertThat(vf.warnings()).isEmpty();
        assertThat(vf.applyTo(k).everyGroupUserClaimed()).isTrue();

        Plan pf = PassthroughPlanner.plan(k, List.of("0000:03:00.0"));
        assertThat(pf.feasible()).isFalse();
        assertThat(pf.refusals()).singleElement().satisfies(r -> {
            assertThat(r.errno()).isEqualTo(Errno.EBUSY);
            assertThat(r.reason()).contains("virtual functions enabled");
        });
        assertThat(pf.group(3).member("0000:03:00.0").action()).isEqualTo(MemberAction.REFUSED);
        // the simulated kernel gives the answer the plan predicted
        ApplyResult applied = pf.applyTo(k);
        assertThat(applied.everyGroupUserClaimed()).isFalse();
        assertThat(applied.failure().errno()).isEqualTo(Errno.EBUSY);
    }

    @Test
    void behindAPcieToPciBridgeTheBridgeNeedsNothingAndTheOtherNicMustLeave() throws Exception {
        Kernel k = Machines.boot("t2-pcibridge.json");
        Plan plan = PassthroughPlanner.plan(k, List.of("0000:02:01.0"));
        assertThat(plan.feasible()).isTrue();
        GroupPlan g3 = plan.group(3);
        assertThat(g3.member("0000:01:00.0").action()).isEqualTo(MemberAction.NOTHING);
        assertThat(g3.member("0000:01:00.0").reason()).startsWith("a bridge without a driver");
        assertThat(g3.member("0000:02:01.0").action()).isEqualTo(MemberAction.ASSIGN);
        assertThat(g3.member("0000:02:02.0").action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(g3.member("0000:02:02.0").currentDriver()).isEqualTo("e1000");
        assertThat(plan.applyTo(k).everyGroupUserClaimed()).isTrue();
    }

    @Test
    void aBridgeAskedForExplicitlyIsRefusedWithEinval() throws Exception {
        Kernel k = Machines.boot("t2-pcibridge.json");
        Plan plan = PassthroughPlanner.plan(k, List.of("0000:01:00.0"));
        assertThat(plan.refusals()).singleElement().satisfies(r -> {
            assertThat(r.device()).isEqualTo("0000:01:00.0");
            assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        });
        ApplyResult applied = plan.applyTo(k);
        assertThat(applied.failure().errno()).isEqualTo(Errno.EINVAL);
        assertThat(applied.failure().operation()).contains("0000:01:00.0");
    }

    @Test
    void aDeviceWithoutAnIommuGroupIsRefusedWithEinval() throws Exception {
        DeviceSpec eth = new DeviceSpec("fe300000.ethernet", BusType.PLATFORM, null, 0, 0, 0, "snps,dwmac", "Ethernet",
                "stmmaceth", null, false, null, null, null, null, null);
        DriverSpec stmmac = new DriverSpec("stmmaceth", BusType.PLATFORM, false, false,
                new MatchRules(List.of("snps,dwmac"), List.of(), false), null, List.of());
        DriverSpec vfioPlatform = new DriverSpec("vfio-platform", BusType.PLATFORM, true, true,
                MatchRules.OVERRIDE_ONLY, null, List.of());
        Kernel k = Kernel.boot(Machines.gpuMachine("GPU", "nouveau", "Audio", "snd_hda_intel", List.of(eth),
                List.of(stmmac, vfioPlatform, DriverSpec.vfioPci("vfio-pci")), "no-group"));
        assertThat(k.device("fe300000.ethernet").group()).isNull();

        Plan plan = PassthroughPlanner.plan(k, List.of("fe300000.ethernet"));
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.refusals()).singleElement().satisfies(r -> {
            assertThat(r.errno()).isEqualTo(Errno.EINVAL);
            assertThat(r.reason()).contains("no IOMMU group");
        });
        // the kernel agrees: vfio-platform's probe fails in vfio_register_group_dev()
        assertThat(new UserActions(k).moveToDriver("fe300000.ethernet", "vfio-platform").errno())
                .isEqualTo(Errno.EINVAL);
    }

    @Test
    void unknownDevicesAndGroupsAlreadyGivenAwayAreRefused() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        Plan unknown = PassthroughPlanner.plan(k, List.of("0000:09:00.0"));
        assertThat(unknown.refusals()).extracting(Refusal::errno).containsExactly(Errno.ENODEV);
        assertThat(unknown.steps()).isEmpty();
        assertThat(unknown.applyTo(k).results()).isEmpty();
        assertThat(unknown.applyTo(k).everyGroupUserClaimed()).isFalse();

        assertThat(PassthroughPlanner.plan(k, List.of(GPU)).applyTo(k).everyGroupUserClaimed()).isTrue();
        Plan again = PassthroughPlanner.plan(k, List.of(GPU));
        assertThat(again.vm()).isEqualTo("VM2");
        assertThat(again.group(8).member(GPU).action()).isEqualTo(MemberAction.ALREADY_ASSIGNED);
        assertThat(again.group(8).member(GPU_AUDIO).action()).isEqualTo(MemberAction.NOTHING);
        assertThat(again.refusals()).singleElement().satisfies(r -> {
            assertThat(r.errno()).isEqualTo(Errno.EBUSY);
            assertThat(r.reason()).contains("already claimed");
        });
        assertThat(again.applyTo(k).failure().errno()).isEqualTo(Errno.EBUSY);
    }

    @Test
    void shortAddressesAndRepeatsNameTheSameDevice() throws Exception {
        Plan plan = PassthroughPlanner.plan(Machines.boot("workstation.json"), List.of("01:00.0", GPU, "01:00.1"));
        assertThat(plan.requested()).containsExactly(GPU, GPU_AUDIO);
        assertThat(plan.group(8).members()).extracting(MemberPlan::action)
                .containsExactly(MemberAction.ASSIGN, MemberAction.ASSIGN);
    }

    @Test
    void harmlessNeighboursNeedNothing() throws Exception {
        // a sibling on pci-stub or pcieport (driver_managed_dma) does not stop VFIO (§2.5, §4)
        Kernel k = Machines.boot("workstation.json");
        new UserActions(k).moveToDriver(GPU_AUDIO, "pci-stub");
        Plan plan = PassthroughPlanner.plan(k, List.of(GPU));
        MemberPlan audio = plan.group(8).member(GPU_AUDIO);
        assertThat(audio.action()).isEqualTo(MemberAction.NOTHING);
        assertThat(audio.reason()).contains("pci-stub").contains("driver_managed_dma");
        assertThat(plan.steps()).extracting(Step::describe).doesNotContain("move device=0000:01:00.1 driver=vfio-pci");
        assertThat(plan.applyTo(k).everyGroupUserClaimed()).isTrue();
    }
}
