package dev.iommufx.scenario;

import dev.iommufx.engine.Profile;
import dev.iommufx.model.Topology;
import java.util.List;

/**
 * A story told one kernel operation at a time: a machine, the kernel version whose rules apply, and the steps.
 *
 * @param topologySource where the topology came from (a path relative to the scenario, or "inline")
 */
public record Scenario(String title, String description, String kernel, Topology topology, String topologySource,
                       List<Step> steps) {
    public static final String DEFAULT_KERNEL = Profile.DEFAULT.key();

    public Scenario {
        steps = List.copyOf(steps);
        kernel = kernel == null ? DEFAULT_KERNEL : kernel;
    }

    /** The kernel profile the scenario is written for (its "kernel" key). */
    public Profile profile() {
        Profile p = Profile.fromKey(kernel);
        return p == null ? Profile.DEFAULT : p;
    }

    public Scenario withKernel(String newKernel) {
        return new Scenario(title, description, newKernel, topology, topologySource, steps);
    }
}
