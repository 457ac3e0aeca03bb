package dev.iommufx.plan;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.UserActions;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import dev.iommufx.scenario.StepRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan to give devices to a VM: every IOMMU group they are in, what must happen to every member, what the
 * kernel will refuse and what the host will miss. Made by {@link PassthroughPlanner}; may also be built by hand.
 *
 * @param vm        the name of the VM (the VFIO container) the groups go to
 * @param requested the devices the user asked for, in the order asked
 * @param groups    the groups touched, by group number
 * @param refusals  what the kernel will refuse; a plan with refusals cannot be carried out
 * @param warnings  what the host will miss
 * @param modules   driver modules to load first, because the VFIO driver the plan needs is not loaded yet
 *                  ({@code vfio_pci}; kernel-model §2.6)
 */
public record Plan(String vm, List<String> requested, List<GroupPlan> groups, List<Refusal> refusals,
                   List<PlanWarning> warnings, List<String> modules) {

    /** The VFIO IOMMU backend a started VM sets on its container. */
    public static final String IOMMU_TYPE = "type1v2";

    public Plan {
        if (vm == null || vm.isEmpty()) {
            throw new IllegalArgumentException("a plan needs a VM name");
        }
        requested = List.copyOf(requested);
        groups = List.copyOf(groups);
        refusals = List.copyOf(refusals);
        warnings = List.copyOf(warnings);
        modules = List.copyOf(modules);
    }

    /** A plan that needs no module loaded. */
    public Plan(String vm, List<String> requested, List<GroupPlan> groups, List<Refusal> refusals,
                List<PlanWarning> warnings) {
        this(vm, requested, groups, refusals, warnings, List.of());
    }

    /** True when no refusal is predicted. */
    public boolean feasible() {
        return refusals.isEmpty();
    }

    /** The plan for one group, or null. */
    public GroupPlan group(int id) {
        return groups.stream().filter(g -> g.group() == id).findFirst().orElse(null);
    }

    /** Every planned member of every group, in order. */
    public List<MemberPlan> members() {
        return groups.stream().flatMap(g -> g.members().stream()).toList();
    }

    /**
     * The steps in the scenario vocabulary, user level: one {@code move} per device that changes driver
     * ({@code unbind} for one that is only unbound), then {@code add_vm}, {@code give_group_to_vm} per group
     * and {@code start_vm}. A refused device keeps its {@code move}, so running the steps shows the refusal.
     * Without any group (every device refused before a group was found) there is no VM step either.
     */
    public List<Step> steps() {
        List<Step> steps = new ArrayList<>(moduleSteps());
        steps.addAll(driverSteps(false));
        if (groups.isEmpty()) {
            return steps;
        }
        steps.add(Step.of(StepKind.ADD_VM, "vm", vm));
        for (GroupPlan g : groups) {
            steps.add(Step.of(StepKind.GIVE_GROUP_TO_VM, "group", g.group(), "vm", vm));
        }
        steps.add(Step.of(StepKind.START_VM, "vm", vm));
        return steps;
    }

    /**
     * The same plan in kernel steps: {@code driver_override}, {@code unbind}, {@code bind} per moved device,
     * then the VFIO calls a VM manager makes (open the container, open and set each group, set the IOMMU).
     */
    public List<Step> kernelSteps() {
        List<Step> steps = new ArrayList<>(moduleSteps());
        steps.addAll(driverSteps(true));
        if (groups.isEmpty()) {
            return steps;
        }
        steps.add(Step.of(StepKind.VFIO_OPEN_CONTAINER, "handle", vm));
        for (GroupPlan g : groups) {
            String handle = UserActions.groupHandle(vm, g.group());
            steps.add(Step.of(StepKind.VFIO_OPEN_GROUP, "group", g.group(), "handle", handle));
            steps.add(Step.of(StepKind.VFIO_SET_CONTAINER, "handle", handle, "container", vm));
        }
        steps.add(Step.of(StepKind.VFIO_SET_IOMMU, "container", vm, "type", IOMMU_TYPE));
        return steps;
    }

    /** {@code modprobe} of each module the plan needs loaded, before any driver moves. */
    private List<Step> moduleSteps() {
        return modules.stream().map(m -> Step.of(StepKind.MODPROBE, "module", m)).toList();
    }

    private List<Step> driverSteps(boolean sysfs) {
        List<Step> steps = new ArrayList<>();
        for (MemberPlan m : members()) {
            boolean move = m.action() == MemberAction.ASSIGN || m.action() == MemberAction.MUST_LEAVE
                    || (m.action() == MemberAction.REFUSED && m.targetDriver() != null);
            if (move && !sysfs) {
                steps.add(Step.of(StepKind.MOVE, "device", m.device(), "driver", m.targetDriver()));
            } else if (move) {
                steps.add(Step.of(StepKind.DRIVER_OVERRIDE, "device", m.device(), "driver", m.targetDriver()));
                if (m.currentDriver() != null) {
                    steps.add(Step.of(StepKind.UNBIND, "device", m.device(), "driver", m.currentDriver()));
                }
                steps.add(Step.of(StepKind.BIND, "device", m.device(), "driver", m.targetDriver()));
            } else if (m.action() == MemberAction.UNBIND && m.currentDriver() != null) {
                steps.add(Step.of(StepKind.UNBIND, "device", m.device(), "driver", m.currentDriver()));
            }
        }
        return steps;
    }

    /**
     * Runs the plan in the simulator: the moves (through {@link UserActions}), then adds the VM, gives it every
     * planned group and starts it. Stops at the first refused operation.
     */
    public ApplyResult applyTo(Kernel k) {
        return run(k, steps());
    }

    /** Like {@link #applyTo} with the kernel steps ({@link #kernelSteps()}) instead of the user-level ones. */
    public ApplyResult applyKernelStepsTo(Kernel k) {
        return run(k, kernelSteps());
    }

    private ApplyResult run(Kernel k, List<Step> steps) {
        List<OpResult> results = new ArrayList<>();
        boolean ok = true;
        for (Step s : steps) {
            OpResult r = StepRunner.apply(k, s);
            results.add(r);
            if (!r.ok()) {
                ok = false;
                break;
            }
        }
        Map<Integer, GroupState> states = new LinkedHashMap<>();
        for (GroupPlan g : groups) {
            IommuGroup ig = k.group(g.group());
            if (ig == null) {
                ok = false;
            } else {
                states.put(g.group(), ig.state());
                ok &= ig.state() == GroupState.USER_CLAIMED;
            }
        }
        return new ApplyResult(results, states, ok && !groups.isEmpty());
    }

    /** The plan in words, for people: groups and members, refusals, warnings and steps. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Give ").append(String.join(", ", requested.stream().map(Plan::oneLine).toList()))
                .append(" to ").append(oneLine(vm)).append('\n');
        for (GroupPlan g : groups) {
            sb.append('\n').append("Group ").append(g.group()).append(" (")
                    .append(g.stateBefore() == null ? "unknown" : g.stateBefore().label()).append("):\n");
            for (MemberPlan m : g.members()) {
                sb.append("  ").append(memberLine(m)).append('\n');
            }
        }
        if (!refusals.isEmpty()) {
            sb.append("\nThe kernel will refuse:\n");
            for (Refusal r : refusals) {
                sb.append("  ").append(oneLine(r.device())).append(": ").append(r.errno()).append(" — ")
                        .append(oneLine(r.reason())).append('\n');
            }
        }
        for (String m : modules) {
            sb.append("\nThe module ").append(oneLine(m)).append(" is not loaded: the plan loads it first (modprobe ")
                    .append(oneLine(m)).append(").\n");
        }
        if (!warnings.isEmpty()) {
            sb.append("\nWarnings:\n");
            for (PlanWarning w : warnings) {
                sb.append("  ! ").append(oneLine(w.text())).append('\n');
            }
        }
        sb.append("\nSteps:\n");
        int n = 1;
        for (Step s : steps()) {
            sb.append("  ").append(n++).append(". ").append(oneLine(s.describe())).append('\n');
        }
        return sb.toString();
    }

    /** "0000:01:00.0 GPU: GeForce RTX 4070 — nouveau → vfio-pci (asked for)". */
    static String memberLine(MemberPlan m) {
        String who = oneLine(m.device()) + (m.name() == null || m.name().isEmpty() ? "" : " " + oneLine(m.name()));
        String from = m.currentDriver() == null ? "no driver"
                : DriverSpec.isUnknown(m.currentDriver()) ? "driver unknown" : oneLine(m.currentDriver());
        String to = m.targetDriver() == null ? "" : oneLine(m.targetDriver());
        String reason = oneLine(m.reason());
        return who + " — " + switch (m.action()) {
            case ASSIGN -> from + " → " + to + " (asked for)";
            case ALREADY_ASSIGNED -> "already on " + from + " (asked for)";
            case MUST_LEAVE -> "must leave " + from + " → " + to + ": " + reason;
            case UNBIND -> "must leave " + from + ", unbound: " + reason;
            case NOTHING -> "nothing to do: " + reason;
            case REFUSED -> "refused: " + reason;
        };
    }

    /** Text from a topology made safe for one line: control characters (newlines, escapes) become '?'. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> sb.appendCodePoint(isControl(c) ? '?' : c));
        return sb.toString();
    }

    /** C0/C1 controls, DEL, the Unicode line and paragraph separators and format characters (bidi overrides). */
    static boolean isControl(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT;
    }
}
