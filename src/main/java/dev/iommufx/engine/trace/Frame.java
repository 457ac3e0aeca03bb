package dev.iommufx.engine.trace;

/**
 * One kernel function on an operation's call path: its nesting depth, name, what it returned and why.
 * The reason is formatted only when someone reads it, so that operations stay cheap.
 */
public final class Frame {
    private final int depth;
    private final String function;
    private String outcome;
    /** The kernel return value, rendered into {@link #outcome()} only when someone reads it. */
    private int ret;
    private String pattern = "";
    private Object[] args = NO_ARGS;
    private String reason;

    private static final Object[] NO_ARGS = {};

    Frame(int depth, String function) {
        this.depth = depth;
        this.function = function;
    }

    /** A finished frame, for results built outside an operation (parsing, tests). */
    public Frame(int depth, String function, String outcome, String reason) {
        this(depth, function);
        this.outcome = outcome;
        this.reason = reason;
    }

    void finish(String outcome, String pattern, Object[] args) {
        this.outcome = outcome;
        this.pattern = pattern;
        this.args = args;
    }

    void finish(int ret, String pattern, Object[] args) {
        this.ret = ret;
        this.outcome = null;
        this.pattern = pattern;
        this.args = args;
    }

    public int depth() {
        return depth;
    }

    /** The kernel function, e.g. {@code iommu_device_use_default_domain}. */
    public String function() {
        return function;
    }

    /** What it returned: "0", "-EBUSY", "count", "WARN", ... */
    public String outcome() {
        if (outcome == null) {
            outcome = Trace.outcome(ret);
        }
        return outcome;
    }

    /** One line saying why, e.g. "group 3 is owned by user vfio-group 3". */
    public String reason() {
        if (reason == null) {
            reason = render(pattern, args);
        }
        return reason;
    }

    /** Replaces each {} in the pattern by the next argument. */
    static String render(String pattern, Object[] args) {
        if (args.length == 0) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length() + 16 * args.length);
        int arg = 0;
        int from = 0;
        for (int at = pattern.indexOf("{}"); at >= 0 && arg < args.length; at = pattern.indexOf("{}", from)) {
            sb.append(pattern, from, at).append(args[arg++]);
            from = at + 2;
        }
        return sb.append(pattern, from, pattern.length()).toString();
    }

    @Override
    public String toString() {
        return "  ".repeat(depth) + function + " -> " + outcome() + (reason().isEmpty() ? "" : "  (" + reason() + ")");
    }
}
