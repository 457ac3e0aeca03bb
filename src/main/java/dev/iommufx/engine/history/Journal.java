package dev.iommufx.engine.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records every state change of the running operation so that a failed operation can be rolled back
 * (the kernel unwinds; so do we) and a successful one undone and redone.
 */
public final class Journal {
    private List<Change> changes = new ArrayList<>();

    /** Sets a field through its setter and records the change. */
    public <T> void set(String subject, Object id, String field, T before, T after, Consumer<T> setter) {
        if (java.util.Objects.equals(before, after)) {
            return;
        }
        setter.accept(after);
        changes.add(new Change(subject, id, field, before, after, setter));
    }

    /** Records a structural change (a list insert or removal) already described by its two actions. */
    public void record(String subject, Object id, String field, Object before, Object after, Runnable undo,
                       Runnable redo) {
        redo.run();
        changes.add(new Change(subject, id, field, before, after, undo, redo));
    }

    /** Takes the changes made so far and starts an empty list. */
    public List<Change> drain() {
        List<Change> done = changes;
        changes = new ArrayList<>();
        return done;
    }

    public int mark() {
        return changes.size();
    }

    /** Undoes, newest first, every change after the mark. */
    public void rollbackTo(int mark) {
        for (int i = changes.size() - 1; i >= mark; i--) {
            changes.remove(i).undo();
        }
    }

    static void undoAll(List<Change> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            list.get(i).undo();
        }
    }

    static void redoAll(List<Change> list) {
        for (Change c : list) {
            c.redo();
        }
    }
}
