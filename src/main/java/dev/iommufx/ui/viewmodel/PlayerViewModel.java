package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Kernel;
import dev.iommufx.scenario.Expectation;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioPlayer;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepOutcome;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The scenario being played on the machine on screen: its steps as the timeline shows them and the position,
 * which only this view-model moves (forward runs or redoes a step, back undoes it through the engine's history).
 * Any operation of the user leaves the scenario.
 */
public final class PlayerViewModel {
    private final MachineViewModel machine;
    private final ReadOnlyObjectWrapper<Scenario> scenario = new ReadOnlyObjectWrapper<>(this, "scenario");
    private final ReadOnlyIntegerWrapper position = new ReadOnlyIntegerWrapper(this, "position");
    private ScenarioPlayer player;

    PlayerViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /** Plays the scenario on a kernel just booted from its machine. */
    void start(Scenario s, Kernel k) {
        player = new ScenarioPlayer(s, k);
        position.set(0);
        scenario.set(s);
    }

    void leave() {
        player = null;
        scenario.set(null);
    }

    /** The scenario being played, or null. */
    public ReadOnlyObjectProperty<Scenario> scenarioProperty() {
        return scenario.getReadOnlyProperty();
    }

    public boolean isOpen() {
        return player != null;
    }

    /** How many steps have been applied: 0 at boot, {@link #size()} at the end. */
    public ReadOnlyIntegerProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    /** The number of steps (0 with no scenario). */
    public int size() {
        return player == null ? 0 : player.size();
    }

    /** The outcome of step i (0-based), or null if it has not run yet. */
    public StepOutcome outcome(int i) {
        return player == null ? null : player.outcome(i);
    }

    /** Moves the scenario to the state after {@code target} steps (0 = boot); the last step shown is the result. */
    public void playTo(int target) {
        ScenarioPlayer p = player;
        if (p == null) {
            return;
        }
        int from = p.position();
        machine.replay(() -> p.jumpTo(target));
        if (p.position() != from) {
            StepOutcome shown = p.position() == 0 ? null : p.outcome(p.position() - 1);
            machine.showResult(shown == null ? null : shown.result());
            position.set(p.position());
        }
    }

    /** One step forward; false at the end (or with no scenario). */
    public boolean forward() {
        if (player == null || player.position() == player.size()) {
            return false;
        }
        playTo(player.position() + 1);
        return true;
    }

    public void back() {
        if (player != null) {
            playTo(player.position() - 1);
        }
    }

    /**
     * Step i as the timeline shows it: ✓ (met), ✗ (failed) or • (no expectation) once run, its number and
     * description, the kernel's answer (or what is expected, ahead of the position), its narration and what
     * differed from the expectation.
     */
    public String stepText(int i) {
        if (player == null) {
            return "";
        }
        Step s = player.scenario().steps().get(i);
        StepOutcome o = player.outcome(i);
        String mark = o == null ? "·" : switch (o.verdict()) {
            case MET -> "✓";
            case FAILED -> "✗";
            case NONE -> "•";
        };
        StringBuilder sb = new StringBuilder(mark + " " + (i + 1) + ". " + s.describe());
        if (o != null) {
            sb.append("  →  ").append(o.result().resultLabel());
        } else {
            Expectation e = s.expectFor(player.kernel().profile().key());
            if (e != null && e.result() != null) {
                sb.append("  (expects ").append(e.result()).append(')');
            }
        }
        if (s.note() != null) {
            sb.append("\n   ").append(s.note());
        }
        if (o != null) {
            o.mismatches().forEach(m -> sb.append("\n   ✗ ").append(m));
        }
        return sb.toString();
    }

    /** Whether step i ran and did not meet its expectation. */
    public boolean failed(int i) {
        StepOutcome o = outcome(i);
        return o != null && o.verdict() == StepOutcome.Verdict.FAILED;
    }
}
