package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.OpResult;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import java.util.List;

/** "Give this device to a VM": the plan for the machine on screen, and carrying it out as the user's own steps. */
public final class PlanViewModel {
    private final MachineViewModel machine;

    PlanViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /** What it takes to give the device to a VM, worked out on the machine as it is now. */
    public Plan plan(String device) {
        return PassthroughPlanner.plan(machine.kernel(), List.of(device));
    }

    /** Runs the plan's steps as if the user did each (recorded when recording); stops at the first refusal. */
    public OpResult apply(Plan plan) {
        return machine.performAll(plan.steps());
    }
}
