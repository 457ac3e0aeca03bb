package dev.iommufx.cli;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioStart;
import java.io.PrintWriter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The FILE every machine command reads, and the {@code --kernel PROFILE} that may replace its own kernel. */
final class MachineFile {
    @Parameters(index = "0", paramLabel = "FILE", description = "a topology, scenario, snapshot, listing or XML")
    String name;

    @Option(names = "--kernel", paramLabel = "PROFILE", converter = Profiles.Converter.class,
            completionCandidates = Profiles.Keys.class,
            description = "follow this kernel's rules instead of the file's own: ${COMPLETION-CANDIDATES}")
    Profile kernel;

    /** Opens the file, telling on stderr what an importer noted; under {@code --kernel} when it was given. */
    Scenario load(PrintWriter err) throws FormatException {
        MachineFiles.Opened o = MachineFiles.open(MachineFiles.locate(name));
        for (String note : o.notes()) {
            err.println("iommufx: note: " + note);
        }
        return kernel == null ? o.scenario() : o.scenario().withKernel(kernel.key());
    }

    /** The machine booted under the file's own kernel, or {@code --kernel}'s. */
    Kernel boot(PrintWriter err) throws FormatException {
        Scenario s = load(err);
        return ScenarioStart.boot(s, s.profile());
    }
}
