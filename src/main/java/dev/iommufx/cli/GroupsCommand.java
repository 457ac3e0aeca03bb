package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.WhatIf;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.GroupListing;
import dev.iommufx.io.Printable;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioStart;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code iommufx groups FILE [--kernel PROFILE] [--format text|listing]}: the machine's IOMMU groups after boot,
 * or the forum listing of them.
 */
@Command(name = "groups", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The machine's IOMMU groups after boot: members, drivers, states.")
final class GroupsCommand implements Callable<Integer> {
    enum Format { text, listing }

    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (members, drivers, states and the derivation) or listing (the forum listing: "
                    + "'IOMMU Group N:', lspci -nnk lines; iommufx imports it back)")
    Format format;
    private PrintWriter out;

    @Override
    public Integer call() throws FormatException {
        out = parent.cli.out();
        Scenario s = file.load(parent.cli.err());
        Kernel k = ScenarioStart.boot(s, s.profile());
        if (format == Format.listing) {
            out.print(GroupListing.of(k));
            return Cli.OK;
        }
        out.println(Printable.of(s.topology().name()) + ": " + k.groups().size() + " IOMMU groups (kernel " + k.profile() + ")");
        for (IommuGroup g : k.groups()) {
            printGroup(g);
        }
        for (Device d : k.devices()) {
            if (d.isPresent() && d.group() == null && d.spec().groupAtDmaConfigure()) {
                out.printf("no group yet: %s  %s (its firmware gives it group %s at its first dma_configure)%n",
                        Printable.of(d.id()), Printable.of(d.spec().label()), d.spec().group());
            }
        }
        if (s.topology().devices().stream().anyMatch(d -> d.groupAtDmaConfigure())) {
            out.println();
            out.println("Firmware-described devices get their groups at their first dma_configure, so the groups "
                    + "at boot are not all there is to compare with pci_device_group(): no derivation shown.");
            return Cli.OK;
        }
        printDerivation(s.topology());
        return Cli.OK;
    }

    /** Where the source states groups: what the kernel's pci_device_group() derives from the same PCI data. */
    private void printDerivation(Topology t) {
        boolean stated = t.devices().stream().anyMatch(d -> d.group() != null && d.bdf() != null);
        if (!stated) {
            return;
        }
        out.println();
        out.println("Derived from the PCI data with the kernel's pci_device_group():");
        if (t.devices().stream().noneMatch(d -> d.parent() != null)) {
            out.println("  (the source gives no PCI tree: bridges above the devices are unknown, so this may differ)");
        }
        WhatIf.differences(t, WhatIf.derived(t)).forEach(line -> out.println("  " + Printable.of(line)));
    }

    private void printGroup(IommuGroup g) {
        out.printf("IOMMU group %d  %s  [%s, owner_cnt %d%s, type %s]%n", g.id(), g.state().label(),
                GroupState.code(g), g.ownerCount(), g.owner() == null ? "" : ", owner " + Printable.of(g.owner()),
                g.sysfsType());
        for (Device d : g.devices()) {
            String driver = d.sysfsDriver() == null ? "no driver"
                    : DriverSpec.isUnknown(d.sysfsDriver().name()) ? "driver unknown"
                    : Printable.of(d.sysfsDriver().name())
                    + (d.sysfsDriver().driverManagedDma() ? " (driver_managed_dma)" : "");
            out.printf("    %s  %-40s  %s%n", Printable.of(d.id()), Printable.of(d.spec().label()), driver);
        }
    }
}
