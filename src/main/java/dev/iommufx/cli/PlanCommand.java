package dev.iommufx.cli;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.AtomicFiles;
import dev.iommufx.io.FormatException;
import dev.iommufx.plan.ApplyResult;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.ShellScriptExport;
import dev.iommufx.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code plan FILE --assign DEVICE... [--script OUT]}: what giving the devices to a VM takes (which group
 * members must leave their drivers, which need not, warnings), applied in the simulator; optionally the shell
 * script to do it on the real machine. iommufx never runs the script.
 */
final class PlanCommand {
    interface Loader {
        Scenario load(Path file) throws FormatException;
    }

    private final PrintStream out;
    private final PrintStream err;

    PlanCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> args, Loader loader) {
        String file = null;
        String script = null;
        List<String> assign = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--assign") && i + 1 < args.size()) {
                assign.add(args.get(++i));
            } else if (a.equals("--script") && i + 1 < args.size()) {
                script = args.get(++i);
            } else if (!a.startsWith("-") && file == null) {
                file = a;
            } else {
                err.println("iommufx plan: did not understand '" + a + "'");
                err.print(Cli.usage());
                return Cli.INVALID;
            }
        }
        if (file == null || assign.isEmpty()) {
            err.println("iommufx plan: expected FILE and at least one --assign DEVICE");
            return Cli.INVALID;
        }
        try {
            dev.iommufx.scenario.Scenario loaded = loader.load(Path.of(file));
            Kernel k = Kernel.boot(loaded.topology(), loaded.profile()); // a scenario's own kernel
            Plan plan = PassthroughPlanner.plan(k, assign);
            out.println(plan.describe());
            ApplyResult applied = plan.applyTo(k);
            out.println();
            out.println("In the simulator: " + (applied.everyGroupUserClaimed()
                    ? "every group reached USER_CLAIMED " + applied.groups()
                    : "not done: " + applied.failure()));
            if (script != null) {
                writeScript(plan, Path.of(script));
            }
            return plan.feasible() && applied.everyGroupUserClaimed() ? Cli.OK : Cli.EXPECTATION_FAILED;
        } catch (FormatException e) {
            err.println("iommufx: " + e.getMessage());
            return Cli.INVALID;
        } catch (IOException e) {
            err.println("iommufx plan: cannot write the script: " + e.getMessage());
            return Cli.INVALID;
        }
    }

    private void writeScript(Plan plan, Path file) throws IOException {
        for (String problem : ShellScriptExport.problems(plan)) {
            err.println("iommufx plan: the script will refuse to run: " + problem);
        }
        boolean executable = AtomicFiles.writeScript(file, ShellScriptExport.render(plan));
        out.println("Wrote " + file + (executable ? "" : " (not marked executable: run it with sh)")
                + ": review it, then run it as root on the machine (iommufx never runs it).");
    }
}
