package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvent;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

/**
 * Undo and redo of the machine on screen. What can be undone is the engine's history: these properties are set
 * from its {@link KernelEvent.HistoryChanged} events and read from each new machine's kernel, never counted here.
 */
public final class HistoryViewModel {
    private final MachineViewModel machine;
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyIntegerWrapper size = new ReadOnlyIntegerWrapper(this, "size");

    HistoryViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /** Takes the history of another machine (a fresh boot has none). */
    void show(Kernel k) {
        canUndo.set(k.canUndo());
        canRedo.set(k.canRedo());
        size.set(k.historySize());
    }

    void follow(KernelEvent.HistoryChanged e) {
        canUndo.set(e.canUndo());
        canRedo.set(e.canRedo());
        size.set(e.size());
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** How many operations can be undone. */
    public ReadOnlyIntegerProperty sizeProperty() {
        return size.getReadOnlyProperty();
    }

    /** Undoes the last operation (leaving a scenario being played); the recorder hears it on the event channel. */
    public void undo() {
        machine.leavePlayer();
        machine.showUndone(machine.kernel().undo());
    }

    public void redo() {
        machine.leavePlayer();
        machine.showResult(machine.kernel().redo());
    }
}
