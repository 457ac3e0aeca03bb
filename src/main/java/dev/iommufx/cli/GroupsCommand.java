package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.scenario.Scenario;
import java.io.PrintStream;

/** {@code iommufx groups FILE}: the machine's IOMMU groups after boot. */
final class GroupsCommand {
    private final PrintStream out;

    GroupsCommand(PrintStream out) {
        this.out = out;
    }

    int run(Scenario s) {
        Kernel k = Kernel.boot(s.topology());
        out.println(s.topology().name() + ": " + k.groups().size() + " IOMMU groups");
        for (IommuGroup g : k.groups()) {
            printGroup(g);
        }
        return Cli.OK;
    }

    void printGroup(IommuGroup g) {
        out.printf("IOMMU group %d  %s  [%s, owner_cnt %d%s, type %s]%n", g.id(), g.state().label(),
                GroupState.code(g), g.ownerCount(), g.owner() == null ? "" : ", owner " + g.owner(), g.sysfsType());
        for (Device d : g.devices()) {
            String driver = d.sysfsDriver() == null ? "no driver" : d.sysfsDriver().name()
                    + (d.sysfsDriver().driverManagedDma() ? " (driver_managed_dma)" : "");
            out.printf("    %s  %-40s  %s%n", d.id(), d.spec().label(), driver);
        }
    }
}
