package dev.iommufx.scenario;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvents;
import dev.iommufx.engine.OpResult;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Steps through a scenario forwards and backwards. A step is run once; going back undoes it through the
 * engine's history and going forward again redoes it, so moving one step costs the size of that step's
 * change, at any position of any length of scenario, and the state after step k is always exactly the
 * state a replay from boot reaches.
 */
public final class ScenarioPlayer {
    private final Scenario scenario;
    private final Kernel kernel;
    private final List<StepOutcome> outcomes = new ArrayList<>();
    /** Steps that left an entry in the engine's history (failed and read-only steps leave none). */
    private final BitSet inHistory = new BitSet();
    private int position;

    /** Plays on a freshly booted kernel of the scenario's machine. */
    public ScenarioPlayer(Scenario scenario) {
        this(scenario, ScenarioStart.boot(scenario, scenario.steps().size() + 1, scenario.profile(), new KernelEvents()));
    }

    /** Plays on a kernel just booted from the scenario's topology (for example the one a window shows). */
    public ScenarioPlayer(Scenario scenario, Kernel kernel) {
        this.scenario = scenario;
        this.kernel = kernel;
    }

    public Scenario scenario() {
        return scenario;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** How many steps have been applied: 0 at boot, {@link #size()} at the end. */
    public int position() {
        return position;
    }

    public int size() {
        return scenario.steps().size();
    }

    /** The outcome of step i (0-based), or null if it has not run yet. */
    public StepOutcome outcome(int i) {
        return i < outcomes.size() ? outcomes.get(i) : null;
    }

    /** Applies the next step; returns its outcome, or null at the end. */
    public StepOutcome forward() {
        if (position == size()) {
            return null;
        }
        StepOutcome o;
        if (position < outcomes.size()) {
            if (inHistory.get(position)) {
                kernel.redo();
            }
            o = outcomes.get(position);
        } else {
            Step step = scenario.steps().get(position);
            OpResult result = StepRunner.apply(kernel, step);
            o = StepOutcome.judge(position + 1, step, result, kernel);
            inHistory.set(position, result.inHistory());
            outcomes.add(o);
        }
        position++;
        return o;
    }

    /** Takes the last applied step back; returns its outcome, or null at boot. */
    public StepOutcome back() {
        if (position == 0) {
            return null;
        }
        position--;
        if (inHistory.get(position)) {
            kernel.undo();
        }
        return outcomes.get(position);
    }

    /** Moves to the state after {@code target} steps (0 = boot). */
    public void jumpTo(int target) {
        int t = Math.max(0, Math.min(size(), target));
        while (position < t) {
            forward();
        }
        while (position > t) {
            back();
        }
    }
}
