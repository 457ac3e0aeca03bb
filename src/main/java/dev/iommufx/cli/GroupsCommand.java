package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.WhatIf;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import java.io.PrintStream;

/** {@code iommufx groups FILE}: the machine's IOMMU groups after boot. */
final class GroupsCommand {
    private final PrintStream out;

    GroupsCommand(PrintStream out) {
        this.out = out;
    }

    int run(Scenario s) {
        Kernel k = Kernel.boot(s.topology(), s.profile());
        out.println(s.topology().name() + ": " + k.groups().size() + " IOMMU groups (kernel " + k.profile() + ")");
        for (IommuGroup g : k.groups()) {
            printGroup(g);
        }
        for (Device d : k.devices()) {
            if (d.isPresent() && d.group() == null && d.spec().groupAtDmaConfigure()) {
                out.printf("no group yet: %s  %s (its firmware gives it group %s at its first dma_configure)%n",
                        d.id(), d.spec().label(), d.spec().group());
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
        WhatIf.differences(t, WhatIf.derived(t)).forEach(line -> out.println("  " + line));
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
