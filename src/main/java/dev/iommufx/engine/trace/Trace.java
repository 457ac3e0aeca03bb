package dev.iommufx.engine.trace;

import dev.iommufx.engine.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * The context of the operation in progress: what it shows the way the kernel would (the call path as nested frames,
 * the WARN_ON splats, the dmesg lines) and what it returns besides its errno (whether it blocked, a value such as
 * status flags, whether its failure changed state). The façade begins it afresh for each operation, so nothing of one
 * operation reaches the next. Engine methods open a frame on entry and finish it on return.
 * A trace without call paths keeps the warnings and log lines but no frames, for callers that want only the
 * answers and the changes (benchmarks, long random runs): no frames are made or finished, though arguments the
 * callers compute for the reasons still are.
 */
public final class Trace {
    /** The frame every call gets from a trace without call paths; never finished, never shown. */
    private static final Frame OFF_FRAME = new Frame(0, "");
    private boolean on;
    private List<Frame> frames = List.of();
    private List<String> warnings = List.of();
    private List<String> log = List.of();
    private int depth;
    private String pendingOn;
    private Object value;
    private boolean failureChangesState;

    /** Starts the context of a new operation; {@code callPaths} false records no frames. */
    public void begin(boolean callPaths) {
        on = callPaths;
        frames = callPaths ? new ArrayList<>() : List.of();
        warnings = List.of();
        log = List.of();
        depth = 0;
        pendingOn = null;
        value = null;
        failureChangesState = false;
    }

    /** Enters a kernel function; returns the frame to finish when it returns. */
    public Frame enter(String function) {
        if (!on) {
            return OFF_FRAME;
        }
        Frame f = new Frame(depth++, function);
        frames.add(f);
        return f;
    }

    /** Leaves a function returning a kernel int (0 or -errno, positive for really_probe's probe errors). */
    public int leave(Frame f, int ret, String pattern, Object... args) {
        if (on) {
            depth = f.depth();
            f.finish(ret, pattern, args);
        }
        return ret;
    }

    /** Leaves a function with a free-form outcome ("true", "count", "skipped"). */
    public void leaveWith(Frame f, String outcome, String pattern, Object... args) {
        if (on) {
            depth = f.depth();
            f.finish(outcome, pattern, args);
        }
    }

    /** A leaf call that does not nest further. */
    public int leaf(String function, int ret, String pattern, Object... args) {
        return leave(enter(function), ret, pattern, args);
    }

    /**
     * {@code WARN_ON(condition)} in {@code where}: returns the condition, so that the caller branches on it as the
     * kernel's {@code if (WARN_ON(...))} does; when it holds, the splat is recorded and execution goes on.
     */
    public boolean warnOn(boolean condition, String where, String pattern, Object... args) {
        if (condition) {
            warn(where, Frame.render(pattern, args));
        }
        return condition;
    }

    /** {@link #warnOn(boolean, String, String, Object...)} for one number: nothing is boxed unless it fires. */
    public boolean warnOn(boolean condition, String where, String pattern, int arg) {
        if (condition) {
            warn(where, Frame.render(pattern, new Object[] {arg}));
        }
        return condition;
    }

    private void warn(String where, String text) {
        if (warnings.isEmpty()) {
            warnings = new ArrayList<>(1);
        }
        warnings.add("WARNING: " + where + ": " + text);
        leaveWith(enter("WARN_ON"), "WARN", text);
    }

    /** A kernel log line (pr_err, dev_warn, ...). */
    public void log(String line) {
        if (log.isEmpty()) {
            log = new ArrayList<>(1);
        }
        log.add(line);
    }

    /** The operation blocks until the named holders close their files (an unbind waiting in VFIO). */
    public void pending(String on) {
        pendingOn = on;
    }

    /** Whom the operation waits for, or null if it did not block. */
    public String pendingOn() {
        return pendingOn;
    }

    /** A caller that unwinds a blocked step itself (a user action) no longer waits. */
    public void clearPending() {
        pendingOn = null;
    }

    /** What the operation returns besides its errno (status flags). */
    public void returns(Object returned) {
        value = returned;
    }

    public Object value() {
        return value;
    }

    /** A failed bind phase, whose unwinding undoes what earlier phases did: its failure belongs in the history. */
    public void markFailureChangesState() {
        failureChangesState = true;
    }

    public boolean failureChangesState() {
        return failureChangesState;
    }

    static String outcome(int ret) {
        if (ret == 0) {
            return "0";
        }
        return ret < 0 ? "-" + Errno.of(ret).name() : Errno.of(ret).name() + " (probe error)";
    }

    public List<Frame> frames() {
        return frames;
    }

    public List<String> warnings() {
        return warnings;
    }

    public List<String> log() {
        return log;
    }
}
