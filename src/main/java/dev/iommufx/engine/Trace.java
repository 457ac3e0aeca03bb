package dev.iommufx.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one operation did, the way the kernel would show it: the call path as nested frames,
 * the WARN_ON splats, and the dmesg lines. Engine methods open a frame on entry and finish it on return.
 */
final class Trace {
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>(0);
    private final List<String> log = new ArrayList<>(0);
    private int depth;

    /** Enters a kernel function; returns the frame to finish when it returns. */
    Frame enter(String function) {
        Frame f = new Frame(depth++, function);
        frames.add(f);
        return f;
    }

    /** Leaves a function returning a kernel int (0 or -errno, positive for really_probe's probe errors). */
    int leave(Frame f, int ret, String pattern, Object... args) {
        depth = f.depth();
        f.finish(ret, pattern, args);
        return ret;
    }

    /** Leaves a function with a free-form outcome ("true", "count", "skipped"). */
    void leaveWith(Frame f, String outcome, String pattern, Object... args) {
        depth = f.depth();
        f.finish(outcome, pattern, args);
    }

    /** A leaf call that does not nest further. */
    int leaf(String function, int ret, String pattern, Object... args) {
        return leave(enter(function), ret, pattern, args);
    }

    /** A WARN_ON that fires: execution goes on, as in the kernel. */
    void warn(String where, String condition) {
        warnings.add("WARNING: " + where + ": " + condition);
        leafWith("WARN_ON", condition);
    }

    private void leafWith(String function, String text) {
        Frame f = enter(function);
        leaveWith(f, "WARN", text);
    }

    /** A kernel log line (pr_err, dev_warn, ...). */
    void log(String line) {
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
