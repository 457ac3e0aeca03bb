package dev.iommufx.engine.history;

import dev.iommufx.engine.OpResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Undo and redo of operations, from the changes each one recorded; stepping either way costs
 * O(size of that operation's change). Keeps at most {@code limit} operations (the oldest are forgotten).
 */
public final class History {
    private final Deque<OpResult> done = new ArrayDeque<>();
    private final Deque<OpResult> undone = new ArrayDeque<>();
    private final int limit;

    public History(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative history limit");
        }
        this.limit = limit;
    }

    /** Whether an operation with these changes would be kept: one that changed nothing has nothing to undo. */
    public boolean keeps(List<Change> changes) {
        return limit > 0 && !changes.isEmpty();
    }

    /** Records an operation {@link #keeps} accepted; what was undone can no longer be redone. */
    public void push(OpResult op) {
        undone.clear();
        done.push(op);
        if (done.size() > limit) {
            done.removeLast();
        }
    }

    public boolean canUndo() {
        return !done.isEmpty();
    }

    public boolean canRedo() {
        return !undone.isEmpty();
    }

    public OpResult undo() {
        OpResult op = done.pop();
        Journal.undoAll(op.changes());
        undone.push(op);
        return op;
    }

    public OpResult redo() {
        OpResult op = undone.pop();
        Journal.redoAll(op.changes());
        done.push(op);
        return op;
    }

    public int size() {
        return done.size();
    }

    /** Descriptions of the operations that can be undone, newest first. */
    public List<String> undoable() {
        return done.stream().map(OpResult::operation).toList();
    }
}
