package dev.iommufx.cli;

import dev.iommufx.io.FormatException;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioRunner;
import dev.iommufx.scenario.StepOutcome;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code iommufx replay FILE [--json] [--kernel PROFILE]}: each step, its result, call path and group states. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Boot the scenario's machine and run its steps: each step's result, call path, kernel log and the groups it changed. Exit 0 when every expectation is met, 1 when one is not.")
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Option(names = "--json", description = "one JSON object per step: step, do, args, result, path, warnings,"
            + " drivers, groups, expect")
    boolean json;

    @Override
    public Integer call() throws FormatException {
        Scenario s = file.load(parent.cli.err());
        StepPrinter printer = new StepPrinter(parent.cli.out());
        if (!json) {
            parent.cli.out().println(s.title() + "  (kernel " + s.kernel() + ", " + s.steps().size() + " steps)");
        }
        List<StepOutcome> outcomes = ScenarioRunner.run(s, json ? printer::printJson : printer::printText);
        long failed = outcomes.stream().filter(o -> o.verdict() == StepOutcome.Verdict.FAILED).count();
        long met = outcomes.stream().filter(o -> o.verdict() == StepOutcome.Verdict.MET).count();
        if (!json) {
            parent.cli.out().println();
            parent.cli.out().println(met + " passed, " + failed + " failed");
        }
        return failed == 0 ? Cli.OK : Cli.EXPECTATION_FAILED;
    }
}
