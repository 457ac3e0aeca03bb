package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupExplainer;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.Printable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code iommufx explain FILE DEVICE}: why the device is in its IOMMU group. */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Why DEVICE is in its IOMMU group: bridges that alias it, ports without ACS above it, sibling functions without ACS.")
final class ExplainCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Parameters(index = "1", paramLabel = "DEVICE", description = "an address: 0000:01:00.1, or 01:00.1 in domain 0000")
    String device;

    @Override
    public Integer call() throws FormatException {
        Kernel k = file.boot(parent.cli.err());
        Device d = Devices.find(k, device);
        if (d == null) {
            parent.cli.err().println("iommufx explain: no device " + Printable.of(device) + " in "
                    + Printable.of(file.name) + " (expected an address such as 0000:01:00.0)");
            return Cli.INVALID;
        }
        parent.cli.out().println(d.id() + " (" + Printable.of(d.spec().label()) + ") is in IOMMU group "
                + (d.group() == null ? "none" : d.group().id()) + ":");
        new GroupExplainer(k).explain(d).forEach(line -> parent.cli.out().println("  - " + Printable.of(line)));
        return Cli.OK;
    }
}
