package dev.iommufx.cli;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.AtomicFiles;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.Printable;
import dev.iommufx.plan.ApplyResult;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.PlanOutput;
import dev.iommufx.plan.ShellScriptExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import dev.iommufx.boot.PersistConfig;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.plan.PersistScriptExport;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioStart;

/**
 * {@code plan FILE --assign DEVICE... [--script OUT]}: what giving the devices to a VM takes (which group
 * members must leave their drivers, which need not, warnings), applied in the simulator; optionally the shell
 * script to do it on the real machine. iommufx never runs the script.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "What giving the devices to a VM takes: which group members must leave their drivers, which need not, and what the host will miss; applied in the simulator. Exit 0 when it works there (and the script, if written, can run), 1 when it does not.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--assign", paramLabel = "DEVICE", required = true,
            description = "a device to give to the VM (0000:01:00.0 or 01:00.0); repeat for more")
    List<String> assign;
    @Option(names = "--script", paramLabel = "OUT.sh", description = "write a shell script for the real machine")
    Path script;
    @Option(names = "--revert", paramLabel = "OUT.sh",
            description = "write a script that gives every moved device back to the driver it had")
    Path revert;
    @Option(names = "--output", paramLabel = "KIND", description = "print only this form of the plan on standard"
            + " output: ${COMPLETION-CANDIDATES}")
    PlanOutput output;
    @Option(names = "--vmid", paramLabel = "ID", description = "the Proxmox VM id for --output proxmox")
    String vmid;
    @Option(names = "--persist", paramLabel = "OUT.sh",
            description = "write a script that makes the plan survive a reboot (checked by a simulated boot)")
    Path persist;
    @Option(names = "--style", paramLabel = "STYLE", converter = PersistStyles.class,
            completionCandidates = PersistStyles.Keys.class,
            description = "how --persist / --output persist binds the devices at boot: ${COMPLETION-CANDIDATES}"
                    + " (default: modprobe)")
    PersistConfig.Style style;
    @Option(names = "--initramfs", paramLabel = "TOOL", converter = PersistStyles.Generators.class,
            completionCandidates = PersistStyles.GeneratorKeys.class,
            description = "the machine's initramfs generator: ${COMPLETION-CANDIDATES} (default: the one --config "
                    + "shows, else initramfs-tools)")
    Initramfs.Generator generator;
    @Option(names = "--config", paramLabel = "DIR",
            description = "the machine's own boot configuration (as for the boot command), which the persistent "
                    + "configuration is checked with")
    Path config;

    @Override
    public Integer call() throws FormatException, IOException {
        PrintWriter out = parent.cli.out();
        Scenario machine = file.load(parent.cli.err()); // under the scenario's own kernel, or --kernel's
        Kernel k = ScenarioStart.boot(machine, machine.profile());
        for (String id : assign) {
            if (Devices.find(k, id) == null) {
                parent.cli.err().println("iommufx plan: no device " + Printable.of(id) + " in "
                        + Printable.of(file.name) + " (expected an address such as 0000:01:00.0)");
                return Cli.INVALID;
            }
        }
        if (vmid != null && !vmid.matches("[1-9][0-9]{0,8}")) {
            parent.cli.err().println("iommufx plan: --vmid takes a Proxmox VM id (a number from 100), not "
                    + Printable.of(vmid));
            return Cli.INVALID;
        }
        PlanOutput.Options options = new PlanOutput.Options(vmid, machine.topology(), machine.profile(), style,
                generator != null ? generator : detectedGenerator(), config);
        Plan plan = PassthroughPlanner.plan(k, assign);
        // with --output, standard output holds that form alone, to be redirected into a file
        PrintWriter report = output == null ? out : new PrintWriter(java.io.Writer.nullWriter());
        report.println(plan.describe());
        report.println();
        boolean worked = plan.feasible() && applied(plan, k, report);
        if (output != null) {
            String text = output.render(plan, options);
            out.print(text);
            out.flush();
            worked &= output != PlanOutput.PERSIST || !PersistScriptExport.refuses(text);
        }
        if (script != null && !writeScript(plan, script, PlanOutput.SCRIPT, options)) {
            worked = false;
        }
        if (persist != null && !writeScript(plan, persist, PlanOutput.PERSIST, options)) {
            worked = false;
        }
        if (revert != null && !writeScript(plan, revert, PlanOutput.REVERT, options)) {
            worked = false;
        }
        return worked ? Cli.OK : Cli.EXPECTATION_FAILED;
    }

    /** Runs the plan in the simulator and says how it ended. */
    private static boolean applied(Plan plan, Kernel k, PrintWriter out) {
        ApplyResult applied = plan.applyTo(k);
        if (applied.everyGroupUserClaimed()) {
            out.println("In the simulator: every group reached USER_CLAIMED " + applied.groups());
            return true;
        }
        out.println("In the simulator: not done: " + (applied.failure() != null
                ? applied.failure().operation() + " answered " + applied.failure().resultLabel()
                : "the groups ended " + applied.groups()));
        return false;
    }

    /** The generator the machine's own configuration shows, else initramfs-tools. */
    private Initramfs.Generator detectedGenerator() throws FormatException {
        Initramfs.Generator found = config == null ? Initramfs.Generator.NONE
                : BootConfigReader.read(config).initramfs().generator();
        return found == Initramfs.Generator.NONE ? Initramfs.Generator.INITRAMFS_TOOLS : found;
    }

    /** Writes a script; false when it would refuse to run on the machine. */
    private boolean writeScript(Plan plan, Path file, PlanOutput kind, PlanOutput.Options options)
            throws IOException {
        List<String> problems = new java.util.ArrayList<>(ShellScriptExport.problems(plan));
        String text = kind.render(plan, options);
        if (kind == PlanOutput.PERSIST && problems.isEmpty() && PersistScriptExport.refuses(text)) {
            problems.add("a simulated boot with the configuration does not end as the plan wants (see the script)");
        }
        for (String problem : problems) {
            parent.cli.err().println("iommufx plan: the script will refuse to run: " + problem);
        }
        boolean executable = AtomicFiles.writeScript(file, text);
        parent.cli.err().println("Wrote " + file + (executable ? "" : " (not marked executable: run it with sh)")
                + (problems.isEmpty()
                ? ": review it, then run it as root on the machine (iommufx never runs it)."
                : ": it explains why the plan cannot be carried out and changes nothing."));
        return problems.isEmpty();
    }
}
