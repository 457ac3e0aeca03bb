package dev.iommufx.scenario;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.history.ChangeSets;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario being recorded: each operation the user performs becomes a step whose expectation is what
 * the kernel answered (the result, and the drivers and group states it changed). Steps can be annotated,
 * deleted and reordered; the recording becomes a {@link Scenario} to save.
 */
public final class Recording {
    private final String title;
    private final Topology topology;
    private final List<Step> steps = new ArrayList<>();
    /** The kernel profile that answers the steps. */
    private final String kernel;

    /** A recording on a machine following the given kernel profile ("6.1", ...). */
    public Recording(String title, Topology topology, String kernel) {
        this.title = title;
        this.topology = topology;
        this.kernel = kernel;
    }

    /** Restores a recording saved earlier (for example by autosave). */
    public static Recording of(Scenario s) {
        Recording r = new Recording(s.title(), s.topology(), s.kernel());
        r.steps.addAll(s.steps());
        return r;
    }

    /** Appends a performed operation, its answer as the only expectation; {@code k} is the kernel right after it. */
    public void add(Step step, OpResult result, Kernel k) {
        steps.add(new Step(step.kind(), step.args(), step.note(), expectationOf(result, k)));
    }

    /** Removes the last step (the user undid it). */
    public void removeLast() {
        if (!steps.isEmpty()) {
            steps.remove(steps.size() - 1);
        }
    }

    public void setNote(int i, String note) {
        steps.set(i, steps.get(i).withNote(note == null || note.isBlank() ? null : note.strip()));
    }

    public void delete(int i) {
        steps.remove(i);
    }

    /** Moves step {@code from} to index {@code to}. */
    public void move(int from, int to) {
        Step s = steps.remove(from);
        steps.add(to, s);
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    public Scenario toScenario() {
        return new Scenario(title, "Recorded in iommufx: each expectation is what the simulated kernel (profile "
                + kernel + ") answered.", kernel, topology, "inline", steps);
    }

    static Expectation expectationOf(OpResult r, Kernel k) {
        Map<String, String> drivers = new LinkedHashMap<>();
        for (String id : ChangeSets.devicesTouched(r.changes())) {
            Device d = k.device(id);
            if (d != null && d.isPresent()) {
                drivers.put(id, d.sysfsDriver() == null ? null : d.sysfsDriver().name());
            }
        }
        Map<Integer, GroupState> groups = new TreeMap<>();
        for (Integer id : r.changedGroups()) {
            IommuGroup g = k.group(id);
            if (g != null) {
                groups.put(id, g.state());
            }
        }
        @SuppressWarnings("unchecked")
        List<String> flags = r.value() instanceof List<?> l ? (List<String>) l : null;
        return new Expectation(r.resultLabel(), drivers, groups, r.warnings().size(), flags);
    }
}
