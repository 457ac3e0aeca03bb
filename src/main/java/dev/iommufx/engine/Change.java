package dev.iommufx.engine;

/**
 * One field of kernel state changed by an operation: what it was, what it became, and how to put either back.
 * Undo and redo replay these in O(number of changes).
 *
 * @param subject what changed ("device", "group", "driver", "vfio-group", "container", "handle")
 * @param id      its id (device id, group number, handle name)
 * @param field   the field, e.g. "driver", "owner_cnt", "domain"
 */
public record Change(String subject, String id, String field, Object before, Object after,
                     Runnable undo, Runnable redo) {

    public static final String DEVICE = "device";
    public static final String GROUP = "group";
    public static final String DRIVER = "driver";
    public static final String VFIO_GROUP = "vfio-group";
    public static final String CONTAINER = "container";
    public static final String HANDLE = "handle";

    @Override
    public String toString() {
        return subject + " " + id + " " + field + ": " + before + " -> " + after;
    }
}
