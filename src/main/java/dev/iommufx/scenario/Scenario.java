package dev.iommufx.scenario;

import dev.iommufx.engine.Profile;
import dev.iommufx.model.Topology;
import dev.iommufx.model.boot.BootConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A story told one kernel operation at a time: a machine, the kernel version whose rules apply, and the steps.
 *
 * @param topologySource where the topology came from (a path relative to the scenario, or "inline")
 * @param bootFiles      the boot configuration's files by their paths on the machine (none: the machine starts as
 *                       its topology describes it; otherwise it starts as a simulated boot with them leaves it)
 * @param boot           those files read, or null when there are none
 */
public record Scenario(String title, String description, String kernel, Topology topology, String topologySource,
                       List<Step> steps, Map<String, String> bootFiles, BootConfig boot) {
    public static final String DEFAULT_KERNEL = Profile.DEFAULT.key();

    public Scenario {
        steps = List.copyOf(steps);
        kernel = kernel == null ? DEFAULT_KERNEL : kernel;
        bootFiles = bootFiles == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(bootFiles));
        if (bootFiles.isEmpty() != (boot == null)) {
            throw new IllegalArgumentException("a scenario's boot configuration comes with the files it was read from");
        }
    }

    /** A scenario whose machine starts as its topology describes it. */
    public Scenario(String title, String description, String kernel, Topology topology, String topologySource,
                    List<Step> steps) {
        this(title, description, kernel, topology, topologySource, steps, Map.of(), null);
    }

    /** The kernel profile the scenario is written for (its "kernel" key). */
    public Profile profile() {
        Profile p = Profile.fromKey(kernel);
        return p == null ? Profile.DEFAULT : p;
    }

    public Scenario withKernel(String newKernel) {
        return new Scenario(title, description, newKernel, topology, topologySource, steps, bootFiles, boot);
    }
}
