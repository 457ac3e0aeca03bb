package dev.iommufx.scenario;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Replays a scenario from boot, step by step, judging each expectation. */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    /** Boots the scenario's machine and runs every step; {@code each} sees each outcome with the kernel after it. */
    public static List<StepOutcome> run(Scenario s, BiConsumer<StepOutcome, Kernel> each) {
        return run(s, s.profile(), each);
    }

    /** The same under another kernel profile: each step is judged by its expectation for that profile. */
    public static List<StepOutcome> run(Scenario s, Profile profile, BiConsumer<StepOutcome, Kernel> each) {
        Kernel k = ScenarioStart.boot(s, profile);
        List<StepOutcome> out = new ArrayList<>(s.steps().size());
        for (int i = 0; i < s.steps().size(); i++) {
            Step step = s.steps().get(i);
            StepOutcome o = StepOutcome.judge(i + 1, step, StepRunner.apply(k, step), k);
            out.add(o);
            if (each != null) {
                each.accept(o, k);
            }
        }
        return out;
    }
}
