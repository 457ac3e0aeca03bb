package dev.iommufx.scenario;

import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvents;
import dev.iommufx.engine.Profile;

/**
 * The machine a scenario starts on: booted as its topology describes it, or, when the scenario has a boot
 * configuration, as a simulated boot with that configuration leaves it (kernel-model §2.7).
 */
public final class ScenarioStart {
    private ScenarioStart() {
    }

    public static Kernel boot(Scenario s, int historyLimit, Profile profile, KernelEvents channel) {
        if (s.boot() == null) {
            return Kernel.boot(s.topology(), historyLimit, profile, channel);
        }
        return BootSimulation.boot(s.topology(), profile, s.boot(), historyLimit, channel).kernel();
    }

    public static Kernel boot(Scenario s, Profile profile) {
        return boot(s, 100_000, profile, new KernelEvents());
    }
}
