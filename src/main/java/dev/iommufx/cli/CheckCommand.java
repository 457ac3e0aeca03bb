package dev.iommufx.cli;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.scenario.Scenario;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code iommufx check FILE...}: validates topology and scenario files (and anything the importers read). */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Validate topology or scenario files: exit 0 when every one is valid, 2 when one is not.")
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the files to check")
    List<String> files;

    @Override
    public Integer call() {
        int code = Cli.OK;
        for (String name : files) {
            try {
                MachineFiles.Opened o = MachineFiles.open(MachineFiles.locate(name));
                Scenario s = o.scenario();
                parent.cli.out().println("ok: " + name + ": " + s.title() + " (" + s.topology().devices().size()
                        + " devices, " + s.topology().drivers().size() + " drivers, " + s.steps().size() + " steps"
                        + (o.notes().isEmpty() ? "" : ", " + o.notes().size() + " import notes") + ")");
            } catch (FormatException e) {
                parent.cli.err().println("iommufx: " + e.getMessage());
                code = Cli.INVALID;
            }
        }
        return code;
    }
}
