package dev.iommufx.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The program: with no command the desktop app starts (in {@code Main}); here, the headless commands. */
@Command(name = "iommufx", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Linux IOMMU groups, DMA domains and DMA ownership, simulated as the kernel does it.",
        synopsisSubcommandLabel = "[COMMAND]",
        subcommands = {GuiCommand.class, ReplayCommand.class, CheckCommand.class, GroupsCommand.class,
            ProfilesCommand.class, ExplainCommand.class, PlanCommand.class, WhatIfCommand.class, BootCommand.class,
            RenderCommand.class, DoctorCommand.class, ImportCommand.class,
            HelpCommand.class},
        footer = {"", "With no COMMAND, iommufx starts the desktop app on the bundled workstation.",
            "FILE is a topology or scenario (.json), a file shipped with iommufx (bundled:scenarios/01-canonical-flow.json),",
            "or what a machine gives: a sysfs snapshot (.tar.gz from collect-iommu-snapshot, or its unpacked",
            "directory), a listing (lspci -nnvmm, lspci -tv, the IOMMU group loop, ls-iommu), libvirt node-device",
            "XML or hwloc XML.",
            "Exit codes: 0 ok, 1 an expectation was not met (plan: not feasible), 2 invalid input or usage."})
final class IommufxCommand implements Callable<Integer> {
    final Cli cli;
    @Spec
    CommandSpec spec;

    IommufxCommand(Cli cli) {
        this.cli = cli;
    }

    /** No command on a headless run: say what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Cli.INVALID;
    }
}
