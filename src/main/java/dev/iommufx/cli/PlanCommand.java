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

    @Override
    public Integer call() throws FormatException, IOException {
        PrintWriter out = parent.cli.out();
        Kernel k = file.boot(parent.cli.err()); // under the scenario's own kernel, or --kernel's
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
        Plan plan = PassthroughPlanner.plan(k, assign);
        // with --output, standard output holds that form alone, to be redirected into a file
        PrintWriter report = output == null ? out : new PrintWriter(java.io.Writer.nullWriter());
        report.println(plan.describe());
        report.println();
        boolean worked = plan.feasible() && applied(plan, k, report);
        if (output != null) {
            out.print(output.render(plan, new PlanOutput.Options(vmid)));
            out.flush();
        }
        if (script != null && !writeScript(plan, script, PlanOutput.SCRIPT)) {
            worked = false;
        }
        if (revert != null && !writeScript(plan, revert, PlanOutput.REVERT)) {
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

    /** Writes a script; false when it would refuse to run on the machine. */
    private boolean writeScript(Plan plan, Path file, PlanOutput kind) throws IOException {
        List<String> problems = ShellScriptExport.problems(plan);
        for (String problem : problems) {
            parent.cli.err().println("iommufx plan: the script will refuse to run: " + problem);
        }
        boolean executable = AtomicFiles.writeScript(file, kind.render(plan, PlanOutput.Options.NONE));
        parent.cli.err().println("Wrote " + file + (executable ? "" : " (not marked executable: run it with sh)")
                + (problems.isEmpty()
                ? ": review it, then run it as root on the machine (iommufx never runs it)."
                : ": it explains why the plan cannot be carried out and changes nothing."));
        return problems.isEmpty();
    }
}
