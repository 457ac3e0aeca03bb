package dev.iommufx.engine;

import dev.iommufx.engine.history.Change;
import dev.iommufx.engine.history.ChangeSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link KernelEvents} delivers, one type per kind; a subscriber names the types it hears. After an
 * operation, an undo or a redo, the events come in this order: the operation's own ({@link OperationDone},
 * {@link OperationRefused}, {@link Undone}, {@link Redone}), then {@link StructureChanged} if devices or groups came
 * or went, then {@link HistoryChanged} if the history changed. Each is delivered once the state is complete, and
 * no listener may start an operation, an undo or a redo while they are delivered.
 */
public sealed interface KernelEvent {

    /** The events that changed state, or might have: they carry the changes in the order they were applied. */
    sealed interface StateChanged extends KernelEvent {
        List<Change> changes();

        /** The ids of the groups whose state or membership changed. */
        default Set<Integer> groupsTouched() {
            return ChangeSets.groupsTouched(changes());
        }
    }

    /** An operation returned 0 (it may have blocked: see {@link OpResult#pending()}). */
    record OperationDone(OpResult result) implements StateChanged {
        public List<Change> changes() {
            return result.changes();
        }
    }

    /**
     * An operation returned an errno. It changed nothing, except a failed bind phase, whose unwinding undoes the
     * earlier phases' work ({@link OpResult#inHistory()} says so).
     */
    record OperationRefused(OpResult result) implements StateChanged {
        public List<Change> changes() {
            return result.changes();
        }
    }

    /** The operation was undone; {@code changes} are its changes in the order undo applied them (newest first). */
    record Undone(OpResult operation, List<Change> changes) implements StateChanged {
    }

    /** The operation was redone. */
    record Redone(OpResult operation) implements StateChanged {
        public List<Change> changes() {
            return operation.changes();
        }
    }

    /**
     * Devices or groups appeared or went away (PCI remove and rescan, a group created at a device's first
     * dma_configure, an undo of any of them): a view lays the machine out again rather than recolouring it.
     * Each set holds what the whole change did, in id order.
     */
    record StructureChanged(Set<String> devicesAdded, Set<String> devicesRemoved, Set<Integer> groupsAdded,
                            Set<Integer> groupsRemoved) implements KernelEvent {

        /**
         * What the changes did to the machine's structure, or null if none added or removed anything; {@code undone}:
         * the changes were undone, so each field went back from its after value to its before value.
         */
        static StructureChanged of(List<Change> changes, boolean undone) {
            List<Change> structural = new ArrayList<>();
            for (Change c : changes) {
                if (c.field().equals("present") || c.field().equals("exists")) {
                    structural.add(c);
                }
            }
            if (structural.isEmpty()) {
                return null;
            }
            Set<String> devicesAdded = new TreeSet<>();
            Set<String> devicesRemoved = new TreeSet<>();
            Set<Integer> groupsAdded = new TreeSet<>();
            Set<Integer> groupsRemoved = new TreeSet<>();
            for (Change c : structural) {
                boolean device = c.subject().equals(Change.DEVICE);
                boolean exists = Boolean.TRUE.equals(undone ? c.before() : c.after());
                if (device) {
                    (exists ? devicesAdded : devicesRemoved).add(c.id());
                    (exists ? devicesRemoved : devicesAdded).remove(c.id());
                } else {
                    Integer id = Integer.valueOf(c.id());
                    (exists ? groupsAdded : groupsRemoved).add(id);
                    (exists ? groupsRemoved : groupsAdded).remove(id);
                }
            }
            return new StructureChanged(devicesAdded, devicesRemoved, groupsAdded, groupsRemoved);
        }
    }

    /** After an operation entered the history, and after every undo and redo: what can be undone now. */
    record HistoryChanged(boolean canUndo, boolean canRedo, int size) implements KernelEvent {
    }

    /**
     * The machine on screen was replaced by another (a file opened, another kernel profile): the window's own
     * event, which {@link KernelEvents#machineReplaced} delivers with the same guarantees as the engine's.
     */
    record MachineReplaced(Kernel previous, Kernel next) implements KernelEvent {
        public MachineReplaced {
            Objects.requireNonNull(next, "next");
        }
    }
}
