package dev.iommufx;

import dev.iommufx.cli.Cli;
import dev.iommufx.ui.DesktopCheck;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Entry point. With a subcommand, runs headless (no display needed); with none (or {@code gui [FILE]}),
 * starts the desktop app, after checking that this machine can show a window at all.
 * Not an {@code Application} subclass, so that the shaded jar starts without the JavaFX launcher's module checks.
 */
public final class Main {
    /** The logger JavaFX warns on, once the window starts; held because the logging framework keeps loggers weakly. */
    private static Logger javafxLog;
    private static final String CLASS_PATH_WARNING = "Unsupported JavaFX configuration";

    private Main() {
    }

    /**
     * Drops JavaFX's start-up warning that it was loaded from the class path: the shaded jar is how iommufx ships,
     * so to a user the warning only looks like something went wrong. Every other JavaFX message is kept.
     */
    static void quietClassPathWarning() {
        javafxLog = Logger.getLogger("javafx");
        javafxLog.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith(CLASS_PATH_WARNING));
    }

    public static void main(String[] args) {
        List<String> list = Arrays.asList(args);
        // the window starts without parsing the command line, so that nothing delays it
        if (list.isEmpty() || (list.get(0).equals("gui") && list.size() <= 2 && list.stream().noneMatch(
                a -> a.startsWith("-")))) {
            System.exit(window(list.isEmpty() ? List.of() : list.subList(1, list.size())));
        }
        System.exit(new Cli(System.out, System.err).withWindow(Main::window).run(list));
    }

    /** Starts the desktop app on the given arguments (a file to open), after checking it can show a window. */
    static int window(List<String> appArgs) {
        String problem = DesktopCheck.whyNoWindow(System.getenv());
        if (problem != null) {
            System.err.print(problem);
            return 3;
        }
        quietClassPathWarning();
        dev.iommufx.ui.IommufxApp.prepareDefaultMachine();
        try {
            javafx.application.Application.launch(dev.iommufx.ui.IommufxApp.class, appArgs.toArray(String[]::new));
            return 0;
        } catch (RuntimeException | LinkageError e) {
            System.err.print(DesktopCheck.explainLaunchFailure(e));
            return 3;
        }
    }
}
