package dev.iommufx.engine;

import dev.iommufx.engine.history.Change;
import dev.iommufx.engine.history.ChangeSets;
import dev.iommufx.engine.trace.Frame;
import java.util.List;
import java.util.Set;

/**
 * What one operation returned, the way a user or kernel developer would want to see it.
 *
 * @param operation what was asked, e.g. "bind 0000:01:00.0 to vfio-pci"
 * @param errno     OK, or the errno the kernel returns to user space (a sysfs write's or ioctl's errno)
 * @param pending   the kernel blocked the operation (unbinding vfio-pci while a device fd is open); it
 *                  completes when the named handle closes
 * @param frames    the call path, outermost first
 * @param warnings  WARN_ON splats the kernel would print
 * @param log       other kernel log lines (pr_err, dev_warn)
 * @param changes   the state changes, in order (none for a failed operation)
 * @param value     what the call returned besides its errno: status flags, a handle, or null
 * @param inHistory the operation entered the undo history (it changed state and the history keeps operations): undo
 *                  takes exactly this operation back
 */
public record OpResult(String operation, Errno errno, boolean pending, List<Frame> frames, List<String> warnings,
                       List<String> log, List<Change> changes, Object value, boolean inHistory) {

    public boolean ok() {
        return errno == Errno.OK;
    }

    /** "ok", "pending" or the errno name. */
    public String resultLabel() {
        return pending ? "pending" : errno.label();
    }

    /** The ids of the groups whose state or membership this operation changed. */
    public Set<Integer> changedGroups() {
        return ChangeSets.groupsTouched(changes);
    }

    /** The innermost frame that failed, or null: the reason a refused operation was refused. */
    public Frame cause() {
        Frame found = null;
        for (Frame f : frames) {
            if (f.outcome().startsWith("-") || f.outcome().endsWith("(probe error)")) {
                if (found == null || f.depth() > found.depth()) {
                    found = f;
                }
            }
        }
        return found;
    }
}
