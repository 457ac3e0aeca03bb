package dev.iommufx.ui.vm;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.scenario.Recording;
import dev.iommufx.scenario.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Records what the user does on the machine as scenario steps, with what the kernel answered as the
 * expectation. Undo takes the last step back out; every change is handed to the autosave.
 */
public final class Recorder {
    private final MachineViewModel vm;
    private final ReadOnlyBooleanWrapper recording = new ReadOnlyBooleanWrapper(this, "recording");
    private final ObservableList<Step> steps = FXCollections.observableArrayList();
    /** The operation each recorded step performed, to know which step an undo takes back. */
    private final List<OpResult> results = new ArrayList<>();
    private final List<Step> undoneSteps = new ArrayList<>();
    private Recording current;
    private Consumer<Recording> onChange = r -> { };

    Recorder(MachineViewModel vm) {
        this.vm = vm;
        vm.events().subscribe(KernelEvent.Undone.class, e -> undone(e.operation()));
        vm.events().subscribe(KernelEvent.Redone.class, e -> redone(e.operation(), vm.kernel()));
    }

    public ReadOnlyBooleanProperty recordingProperty() {
        return recording.getReadOnlyProperty();
    }

    public ObservableList<Step> steps() {
        return FXCollections.unmodifiableObservableList(steps);
    }

    /** Called after every change of the recording (to autosave it). */
    public void onChange(Consumer<Recording> listener) {
        onChange = listener;
    }

    /** Starts recording from the machine as it is now: boots it again so that the recording starts at boot. */
    public void start(String title) {
        vm.load(vm.kernel().topology());
        current = new Recording(title, vm.kernel().topology(), vm.kernel().profile().key());
        results.clear();
        steps.clear();
        recording.set(true);
        changed();
    }

    /** Continues a recording restored from a file: replays its steps on a fresh boot of its machine. */
    public void resume(Recording restored) {
        dev.iommufx.scenario.Scenario saved = restored.toScenario();
        vm.load(saved.topology(), saved.profile()); // replayed under the rules it was recorded with
        current = new Recording(saved.title(), saved.topology(), saved.kernel());
        results.clear();
        steps.clear();
        recording.set(true);
        for (Step s : restored.steps()) {
            OpResult r = dev.iommufx.scenario.StepRunner.apply(vm.kernel(), s);
            current.add(s.withExpect(null).withNote(s.note()), r, vm.kernel());
            results.add(r);
        }
        steps.setAll(current.steps());
        changed();
    }

    public void stop() {
        recording.set(false);
    }

    /** The recording so far (null if none was started). */
    public Recording recording() {
        return current;
    }

    void performed(Step step, OpResult r, Kernel k) {
        if (!recording.get()) {
            return;
        }
        current.add(step, r, k);
        results.add(r);
        undoneSteps.clear();
        steps.setAll(current.steps());
        changed();
    }

    private void undone(OpResult undone) {
        if (recording.get() && !results.isEmpty() && results.get(results.size() - 1) == undone) {
            undoneSteps.add(current.steps().get(current.steps().size() - 1));
            results.remove(results.size() - 1);
            current.removeLast();
            steps.setAll(current.steps());
            changed();
        }
    }

    private void redone(OpResult redone, Kernel k) {
        if (recording.get() && !undoneSteps.isEmpty()) {
            Step s = undoneSteps.remove(undoneSteps.size() - 1);
            current.add(s.withExpect(null).withNote(s.note()), redone, k);
            results.add(redone);
            steps.setAll(current.steps());
            changed();
        }
    }

    public void setNote(int i, String note) {
        current.setNote(i, note);
        steps.setAll(current.steps());
        changed();
    }

    public void delete(int i) {
        current.delete(i);
        results.remove(i);
        steps.setAll(current.steps());
        changed();
    }

    public void move(int from, int to) {
        current.move(from, to);
        results.add(to, results.remove(from));
        steps.setAll(current.steps());
        changed();
    }

    private void changed() {
        onChange.accept(current);
    }
}
