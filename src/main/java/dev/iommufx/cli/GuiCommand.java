package dev.iommufx.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code iommufx gui [FILE]}: the desktop app. {@code Main} starts it directly, without parsing, so that the window
 * opens fast; this command gives it help text and reaches the same launcher from a parsed command line.
 */
@Command(name = "gui", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Start the desktop app, on FILE or on the bundled workstation.")
final class GuiCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "a file to open (also bundled:PATH)")
    String file;

    @Override
    public Integer call() {
        Function<List<String>, Integer> window = parent.cli.window();
        if (window == null) {
            throw new IllegalStateException("no window launcher in this process");
        }
        return window.apply(file == null ? List.of() : List.of(file));
    }
}
