package dev.iommufx.engine;

import java.util.List;

/**
 * Sent to listeners after state changed: by an operation, an undo or a redo.
 *
 * @param kind    what caused it
 * @param result  the operation's result (for UNDO and REDO, the result of the operation undone or redone)
 * @param changes the changes, in the order they were applied (reversed for UNDO)
 */
public record KernelEvent(Kind kind, OpResult result, List<Change> changes) {
    public enum Kind { OPERATION, UNDO, REDO, RESET }

    public java.util.Set<Integer> groupsTouched() {
        return ChangeSets.groupsTouched(changes);
    }
}
