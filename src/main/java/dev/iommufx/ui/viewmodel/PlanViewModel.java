package dev.iommufx.ui.viewmodel;

import dev.iommufx.boot.PersistConfig;
import dev.iommufx.engine.OpResult;
import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.plan.PersistScriptExport;
import dev.iommufx.plan.PlanOutput;
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

    /**
     * One form of the plan, for the machine on screen; the persistent configuration in the given style and for
     * the given initramfs generator, checked by booting the machine as it was described.
     */
    public String render(Plan plan, PlanOutput output, PersistConfig.Style style, Initramfs.Generator generator) {
        return output.render(plan, new PlanOutput.Options(null, machine.describedTopology(), machine.profile(), style,
                generator, null));
    }

    /** Whether a rendered persistent configuration is one a simulated boot showed would not work. */
    public boolean refuses(String persistScript) {
        return PersistScriptExport.refuses(persistScript);
    }

    /** Runs the plan's steps as if the user did each (recorded when recording); stops at the first refusal. */
    public OpResult apply(Plan plan) {
        return machine.performAll(plan.steps());
    }
}
