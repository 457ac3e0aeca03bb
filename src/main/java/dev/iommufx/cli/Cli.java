package dev.iommufx.cli;

import dev.iommufx.io.FormatException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The headless commands, parsed by picocli: every command has {@code --help} (exit 0), the program has
 * {@code --version}, options take {@code --opt value} and {@code --opt=value}, and unknown options or bad values
 * are refused with exit 2 and a message. Exit codes: 0 success (every expectation met), 1 an expectation failed
 * or a plan is not feasible, 2 invalid input or usage, 70 a bug in iommufx (reported, never a bare stack trace).
 * Everything printed passes through {@link EscapingWriter}: text from a file cannot act on the user's terminal.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int INVALID = 2;
    public static final int INTERNAL_ERROR = 70;

    private final PrintWriter out;
    private final PrintWriter err;
    private Function<List<String>, Integer> window;

    public Cli(PrintStream out, PrintStream err) {
        this.out = new PrintWriter(new EscapingWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)), true);
        this.err = new PrintWriter(new EscapingWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8)), true);
    }

    /** Runs one command line (without the program name) and returns the exit code. */
    public int run(List<String> args) {
        CommandLine cli = commandLine();
        try {
            return cli.execute(args.toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command tree with this run's output, colours off (escape codes would be escaped) and the exit codes. */
    CommandLine commandLine() {
        CommandLine cli = new CommandLine(new IommufxCommand(this));
        cli.setOut(out);
        cli.setErr(err);
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler(this::failed);
        cli.setParameterExceptionHandler(this::badUsage);
        return cli;
    }

    /** The desktop app's launcher, for {@code iommufx gui}: it takes the app's arguments and returns an exit code. */
    public Cli withWindow(Function<List<String>, Integer> launcher) {
        this.window = launcher;
        return this;
    }

    Function<List<String>, Integer> window() {
        return window;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** A refused file is the user's input at fault: its located message, exit 2; anything else is our bug. */
    private int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof FormatException f) {
            err.println("iommufx: " + f.getMessage());
            return INVALID;
        }
        err.println("iommufx: internal error, please report it: " + e);
        StackTraceElement[] where = e.getStackTrace();
        if (where.length > 0) {
            err.println("  at " + where[0]);
        }
        return INTERNAL_ERROR;
    }

    private int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        boolean top = cmd.getParent() == null;
        if (top && e instanceof CommandLine.UnmatchedArgumentException && args.length > 0 && !args[0].startsWith("-")) {
            err.println("iommufx: unknown command '" + args[0] + "' (the commands: "
                    + String.join(", ", cmd.getSubcommands().keySet()) + ")");
        } else {
            err.println((top ? "iommufx" : "iommufx " + cmd.getCommandName()) + ": " + e.getMessage());
        }
        err.println("Try 'iommufx " + (top ? "" : cmd.getCommandName() + " ") + "--help'.");
        return INVALID;
    }
}
