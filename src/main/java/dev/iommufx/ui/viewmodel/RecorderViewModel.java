package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.scenario.Recording;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Records what the user does on the machine as scenario steps, with what the kernel answered as the expectation.
 * The recording follows the engine's history: an undo ({@link KernelEvent.Undone}) takes the undone operation's
 * step out, with the refusals recorded after it (they were answered by the state the undo took back), and a redo
 * ({@link KernelEvent.Redone}) puts them back. Each change of the recording counts in {@link #revisionProperty()}.
 */
public final class RecorderViewModel {
    private final MachineViewModel machine;
    private final ReadOnlyBooleanWrapper recording = new ReadOnlyBooleanWrapper(this, "recording");
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper(this, "revision");
    private final ObservableList<Step> steps = FXCollections.observableArrayList();
    private final ObservableList<Step> readOnlySteps = FXCollections.unmodifiableObservableList(steps);
    /** What the kernel answered each recorded step, in the recording's order: an undo or redo finds its step by it. */
    private final List<OpResult> answers = new ArrayList<>();
    /** What undos took out, newest first, for redos to put back. */
    private final Deque<TakenOut> undone = new ArrayDeque<>();
    private Recording current;

    /** Steps an undo took out of the recording: the undone operation's, then the refusals recorded after it. */
    private record TakenOut(List<Step> steps, List<OpResult> answers) {
    }

    RecorderViewModel(MachineViewModel machine) {
        this.machine = machine;
        machine.subscribe(KernelEvent.Undone.class, e -> undone(e.operation()));
        machine.subscribe(KernelEvent.Redone.class, e -> redone(e.operation()));
    }

    public ReadOnlyBooleanProperty recordingProperty() {
        return recording.getReadOnlyProperty();
    }

    /** Counts the changes of the recording (a step recorded, annotated, deleted, moved): the window autosaves on each. */
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public ObservableList<Step> steps() {
        return readOnlySteps;
    }

    /** Starts recording from the machine as it is now: boots it again so that the recording starts at boot. */
    public void start(String title) {
        machine.load(machine.kernel().topology());
        current = new Recording(title, machine.kernel().topology(), machine.kernel().profile().key());
        clear();
        recording.set(true);
        changed();
    }

    /** Continues a recording restored from a file: replays its steps on a fresh boot of its machine. */
    public void resume(Recording restored) {
        Scenario saved = restored.toScenario();
        machine.load(saved.topology(), saved.profile()); // replayed under the rules it was recorded with
        current = new Recording(saved.title(), saved.topology(), saved.kernel());
        clear();
        recording.set(true);
        machine.replay(() -> {
            for (Step s : restored.steps()) {
                OpResult r = StepRunner.apply(machine.kernel(), s);
                current.add(s, r, machine.kernel());
                answers.add(r);
            }
        });
        changed();
    }

    public void stop() {
        recording.set(false);
    }

    /** The recording so far (null if none was started). */
    public Recording recording() {
        return current;
    }

    /** A step the user performed; the engine answered r. */
    void performed(Step step, OpResult r) {
        if (!recording.get()) {
            return;
        }
        current.add(step, r, machine.kernel());
        answers.add(r);
        if (r.inHistory()) {
            undone.clear(); // the engine's history forgot what could be redone
        }
        changed();
    }

    private void undone(OpResult op) {
        int at = recording.get() ? lastIndexOfSame(op) : -1;
        if (at < 0) {
            return;
        }
        List<Step> taken = new ArrayList<>(current.steps().subList(at, answers.size()));
        List<OpResult> takenAnswers = new ArrayList<>(answers.subList(at, answers.size()));
        while (answers.size() > at) {
            answers.remove(answers.size() - 1);
            current.removeLast();
        }
        undone.push(new TakenOut(taken, takenAnswers));
        changed();
    }

    private void redone(OpResult op) {
        TakenOut last = undone.peek();
        if (!recording.get() || last == null || last.answers().get(0) != op) {
            return;
        }
        undone.pop();
        for (int i = 0; i < last.steps().size(); i++) {
            current.add(last.steps().get(i), last.answers().get(i), machine.kernel());
            answers.add(last.answers().get(i));
        }
        changed();
    }

    public void setNote(int i, String note) {
        current.setNote(i, note);
        changed();
    }

    public void delete(int i) {
        current.delete(i);
        answers.remove(i);
        changed();
    }

    public void move(int from, int to) {
        current.move(from, to);
        answers.add(to, answers.remove(from));
        changed();
    }

    /** Where the recording holds this very answer (results are records: two equal answers are not the same). */
    private int lastIndexOfSame(OpResult op) {
        for (int i = answers.size() - 1; i >= 0; i--) {
            if (answers.get(i) == op) {
                return i;
            }
        }
        return -1;
    }

    private void clear() {
        answers.clear();
        undone.clear();
    }

    private void changed() {
        steps.setAll(current.steps());
        revision.set(revision.get() + 1);
    }
}
