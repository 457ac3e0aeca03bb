package dev.iommufx.cli;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.WhatIf;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.Printable;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code whatif FILE [--enable-acs DEVICE]... [--acs-override KIND,...] [--spec-correct]}. */
@Command(name = "whatif", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "How the groups would change with ACS on a port, the out-of-tree pcie_acs_override, or the grouping the PCIe specification calls for.")
final class WhatIfCommand implements Callable<Integer> {
    /** The values of the out-of-tree {@code pcie_acs_override=} option that change grouping. */
    enum AcsOverride { downstream, multifunction }

    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--enable-acs", paramLabel = "DEVICE", description = "a port to give ACS; repeat for more")
    List<String> enableAcs = new ArrayList<>();
    @Option(names = "--acs-override", paramLabel = "KIND", split = ",",
            description = "pretend pcie_acs_override=KIND[,KIND]: ${COMPLETION-CANDIDATES}")
    EnumSet<AcsOverride> acsOverride = EnumSet.noneOf(AcsOverride.class);
    @Option(names = "--spec-correct", description = "group as the PCIe specification calls for")
    boolean specCorrect;

    @Override
    public Integer call() throws FormatException {
        Topology t = file.load(parent.cli.err()).topology();
        Kernel k = Kernel.boot(t);
        Set<String> acsOn = new TreeSet<>();
        for (String id : enableAcs) {
            if (Devices.find(k, id) == null) {
                parent.cli.err().println("iommufx whatif: no device " + Printable.of(id) + " in "
                        + Printable.of(file.name) + " (expected the address of a port, such as 0000:00:01.0)");
                return Cli.INVALID;
            }
            acsOn.add(Devices.find(k, id).id());
        }
        Topology after = WhatIf.apply(t, new WhatIf.Options(acsOn, acsOverride.contains(AcsOverride.downstream),
                acsOverride.contains(AcsOverride.multifunction), specCorrect));
        WhatIf.differences(t, after).forEach(line -> parent.cli.out().println(Printable.of(line)));
        return Cli.OK;
    }
}
