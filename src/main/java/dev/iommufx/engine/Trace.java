package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one operation did, the way the kernel would show it: the call path as nested frames,
 * the WARN_ON splats, and the dmesg lines. Engine methods open a frame on entry and finish it on return.
 * A trace that is off keeps the warnings and log lines but no frames, for callers that want only the
 * answers and the changes (benchmarks, long random runs): no frames are made or finished, though arguments the
 * callers compute for the reasons still are.
 */
final class Trace {
    /** The frame every call gets from a trace that is off; never finished, never shown. */
    private static final Frame OFF_FRAME = new Frame(0, "");
    private final boolean on;
    private final List<Frame> frames;
    private List<String> warnings = List.of();
    private List<String> log = List.of();
    private int depth;

    Trace() {
        this(true);
    }

    Trace(boolean on) {
        this.on = on;
        this.frames = on ? new ArrayList<>() : List.of();
    }

    /** Enters a kernel function; returns the frame to finish when it returns. */
    Frame enter(String function) {
        if (!on) {
            return OFF_FRAME;
        }
        Frame f = new Frame(depth++, function);
        frames.add(f);
        return f;
    }

    /** Leaves a function returning a kernel int (0 or -errno, positive for really_probe's probe errors). */
    int leave(Frame f, int ret, String pattern, Object... args) {
        if (on) {
            depth = f.depth();
            f.finish(ret, pattern, args);
        }
        return ret;
    }

    /** Leaves a function with a free-form outcome ("true", "count", "skipped"). */
    void leaveWith(Frame f, String outcome, String pattern, Object... args) {
        if (on) {
            depth = f.depth();
            f.finish(outcome, pattern, args);
        }
    }

    /** A leaf call that does not nest further. */
    int leaf(String function, int ret, String pattern, Object... args) {
        return leave(enter(function), ret, pattern, args);
    }

    /** A WARN_ON that fires: execution goes on, as in the kernel. */
    void warn(String where, String condition) {
        if (warnings.isEmpty()) {
            warnings = new ArrayList<>(1);
        }
        warnings.add("WARNING: " + where + ": " + condition);
        leafWith("WARN_ON", condition);
    }

    private void leafWith(String function, String text) {
        Frame f = enter(function);
        leaveWith(f, "WARN", text);
    }

    /** A kernel log line (pr_err, dev_warn, ...). */
    void log(String line) {
        if (log.isEmpty()) {
            log = new ArrayList<>(1);
        }
        log.add(line);
    }

    static String outcome(int ret) {
        if (ret == 0) {
            return "0";
        }
        return ret < 0 ? "-" + Errno.of(ret).name() : Errno.of(ret).name() + " (probe error)";
    }

    List<Frame> frames() {
        return frames;
    }

    List<String> warnings() {
        return warnings;
    }

    List<String> log() {
        return log;
    }
}
