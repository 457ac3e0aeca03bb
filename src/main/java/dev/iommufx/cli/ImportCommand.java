package dev.iommufx.cli;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.io.Printable;
import dev.iommufx.io.SafeFiles;
import dev.iommufx.io.TopologyWriter;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code iommufx import FILE -o OUT.json}: the machine a snapshot, listing or XML describes, written as a topology
 * file (atomically), with the facts the readiness checks read, so that {@code groups} and {@code doctor} on the saved
 * file say what they say on the source.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write the machine a snapshot, listing or XML describes as a topology file (with its facts for"
                + " doctor).")
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Parameters(index = "0", paramLabel = "FILE", description = "a snapshot, listing, XML, topology or scenario")
    String name;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.json",
            description = "the topology file to write (replaced atomically)")
    Path output;

    @Override
    public Integer call() throws FormatException {
        MachineFiles.Opened o = MachineFiles.open(MachineFiles.locate(name));
        for (String note : o.notes()) {
            parent.cli.err().println("iommufx: note: " + note);
        }
        Topology t = o.scenario().topology();
        try {
            TopologyWriter.write(t, output);
        } catch (IOException e) {
            parent.cli.err().println("iommufx: " + Printable.of(output.toString()) + ": cannot write it: "
                    + SafeFiles.reason(e));
            return Cli.INVALID;
        }
        parent.cli.out().println("wrote " + Printable.of(output.toString()) + ": " + Printable.of(t.name()) + " ("
                + t.devices().size() + " devices, " + t.groups().size() + " groups, " + t.drivers().size()
                + " drivers" + (t.facts().isEmpty() ? "" : ", with the source's facts") + ")");
        return Cli.OK;
    }
}
