package dev.iommufx.engine.history;

import java.util.function.Consumer;

/**
 * One field of kernel state changed by an operation: what it was, what it became, and how to put either back.
 * Undo and redo replay these in O(number of changes). A field change keeps its setter and applies the old or
 * new value itself; a structural change (a list insert or removal) keeps its two actions.
 */
public final class Change {
    public static final String DEVICE = "device";
    public static final String GROUP = "group";
    public static final String DRIVER = "driver";
    public static final String VFIO_GROUP = "vfio-group";
    public static final String CONTAINER = "container";
    public static final String HANDLE = "handle";
    public static final String MODULE = "module";

    private final String subject;
    /** The subject's id as the engine has it (a String or a boxed group number); rendered when read. */
    private final Object id;
    private final String field;
    private final Object before;
    private final Object after;
    private final Consumer<Object> setter;
    private final Runnable undo;
    private final Runnable redo;

    @SuppressWarnings("unchecked")
    <T> Change(String subject, Object id, String field, T before, T after, Consumer<T> setter) {
        this(subject, id, field, before, after, (Consumer<Object>) setter, null, null);
    }

    Change(String subject, Object id, String field, Object before, Object after, Runnable undo, Runnable redo) {
        this(subject, id, field, before, after, null, undo, redo);
    }

    private Change(String subject, Object id, String field, Object before, Object after, Consumer<Object> setter,
                   Runnable undo, Runnable redo) {
        this.subject = subject;
        this.id = id;
        this.field = field;
        this.before = before;
        this.after = after;
        this.setter = setter;
        this.undo = undo;
        this.redo = redo;
    }

    /** What changed: "device", "group", "driver", "vfio-group", "container", "handle". */
    public String subject() {
        return subject;
    }

    /** Its id: device id, group number, handle name. */
    public String id() {
        return String.valueOf(id);
    }

    /** The field, e.g. "dev->driver", "owner_cnt", "domain". */
    public String field() {
        return field;
    }

    public Object before() {
        return before;
    }

    public Object after() {
        return after;
    }

    void undo() {
        if (setter != null) {
            setter.accept(before);
        } else {
            undo.run();
        }
    }

    void redo() {
        if (setter != null) {
            setter.accept(after);
        } else {
            redo.run();
        }
    }

    @Override
    public String toString() {
        return subject + " " + id + " " + field + ": " + before + " -> " + after;
    }
}
