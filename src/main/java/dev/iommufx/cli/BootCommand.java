package dev.iommufx.cli;

import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.engine.boot.BootReport;
import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.Printable;
import dev.iommufx.scenario.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code iommufx boot FILE [--config DIR]}: the machine after a simulated boot with a boot configuration. */
@Command(name = "boot", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Boot the machine with a boot configuration: which driver wins each device, by which rule, "
                + "and the groups after it.",
            "DIR holds the configuration files at their paths on the machine: etc/kernel/cmdline (or "
                + "etc/default/grub, or proc/cmdline), etc/modprobe.d/*.conf, etc/initramfs-tools/, etc/dracut.conf"
                + "(.d), etc/mkinitcpio.conf, etc/modules-load.d/*.conf, etc/modules, etc/driverctl.d/."},
        footer = {"", "Exit codes: 0 booted, 1 booted with warnings, 2 invalid input."})
final class BootCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--config", paramLabel = "DIR",
            description = "the boot configuration (default: none, every module loaded by coldplug)")
    Path config;
    private PrintWriter out;

    @Override
    public Integer call() throws FormatException {
        out = parent.cli.out();
        Scenario s = file.load(parent.cli.err());
        BootConfig cfg = config == null ? BootConfig.PLAIN : BootConfigReader.read(config);
        BootReport report = BootSimulation.boot(s.topology(), s.profile(), cfg);
        Kernel k = report.kernel();
        out.println(Printable.of(s.topology().name()) + " booted under kernel " + k.profile()
                + (config == null ? " with no boot configuration" : " with " + Printable.of(config.toString())));
        out.println("  command line: " + (cfg.cmdline().words().isEmpty() ? "(empty)"
                : Printable.of(String.join(" ", cfg.cmdline().words()))));
        out.println("  initramfs: " + cfg.initramfs().generator().title());
        out.println();
        printEvents(report);
        printDevices(report, k);
        printGroups(k);
        print("Warnings:", report.warnings());
        print("Notes:", report.notes());
        return report.warnings().isEmpty() ? Cli.OK : Cli.EXPECTATION_FAILED;
    }

    private void printEvents(BootReport report) {
        out.println("The boot, in order:");
        BootReport.Stage stage = null;
        for (BootReport.Event e : report.events()) {
            if (e.stage() != stage) {
                stage = e.stage();
                out.println("  " + stage.title());
            }
            out.println("    " + Printable.of(e.action()) + "  -> " + Printable.of(e.result()));
        }
        out.println();
    }

    private void printDevices(BootReport report, Kernel k) {
        out.println("Drivers after the boot:");
        for (Device d : k.devices()) {
            if (!d.isPresent()) {
                continue;
            }
            BootReport.Binding b = report.bindings().get(d.id());
            String how = d.driver() == null ? "no driver"
                    : Printable.of(d.driver().name()) + (b == null ? "" : "  (" + b.stage().title() + "; " + b.rule()
                    + ")");
            out.printf("  %s  %-40s  %s%n", Printable.of(d.id()), Printable.of(d.spec().label()), how);
        }
        out.println();
    }

    private void printGroups(Kernel k) {
        out.println("Groups after the boot:");
        for (IommuGroup g : k.groups()) {
            out.printf("  IOMMU group %d  %s  [%s]  %s%n", g.id(), g.state().label(), GroupState.code(g),
                    String.join(" ", g.devices().stream().map(d -> Printable.of(d.id())).toList()));
        }
    }

    private void print(String title, java.util.List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.println();
        out.println(title);
        lines.forEach(l -> out.println("  " + Printable.of(l)));
    }
}
