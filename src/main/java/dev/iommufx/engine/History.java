package dev.iommufx.engine;

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

    void record(OpResult op) {
        if (limit == 0 || op.changes().isEmpty()) {
            return;
        }
        undone.clear();
        done.push(op);
        if (done.size() > limit) {
            done.removeLast();
        }
    }

    boolean canUndo() {
        return !done.isEmpty();
    }

    boolean canRedo() {
        return !undone.isEmpty();
    }

    OpResult undo() {
        OpResult op = done.pop();
        Journal.undoAll(op.changes());
        undone.push(op);
        return op;
    }

    OpResult redo() {
        OpResult op = undone.pop();
        Journal.redoAll(op.changes());
        done.push(op);
        return op;
    }

    int size() {
        return done.size();
    }

    /** Descriptions of the operations that can be undone, newest first. */
    List<String> undoable() {
        return done.stream().map(OpResult::operation).toList();
    }
}
