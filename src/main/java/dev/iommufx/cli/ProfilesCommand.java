package dev.iommufx.cli;

import dev.iommufx.engine.Profile;
import dev.iommufx.engine.ProfileRule;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code iommufx profiles}: every rule in which the kernel profiles differ, and which profiles follow it. */
@Command(name = "profiles", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The rules in which the kernel profiles differ, with their kernel code and spec sections.")
final class ProfilesCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;

    @Override
    public Integer call() {
        PrintWriter out = parent.cli.out();
        for (Profile p : Profile.values()) {
            out.printf("%-10s %s%s%n", p.key(), p.title(), p == Profile.DEFAULT ? "  (default)" : "");
            for (ProfileRule r : p.differencesFromDefault()) {
                out.println("             " + (p.has(r) ? "+ " : "- ") + r.title());
            }
        }
        out.println();
        StringBuilder header = new StringBuilder();
        for (Profile p : Profile.values()) {
            header.append(column(p.key()));
        }
        out.println(header + " rule");
        String indent = " ".repeat(header.length() + 1);
        for (ProfileRule r : ProfileRule.values()) {
            StringBuilder row = new StringBuilder();
            for (Profile p : Profile.values()) {
                row.append(column(mark(r, p)));
            }
            out.println(row + " " + r.title());
            out.println(indent + r.kernelCode());
            out.println(indent + "kernel-model " + r.spec() + ". " + r.effect());
        }
        return Cli.OK;
    }

    /** A column as wide as the longest profile key. */
    private static String column(String text) {
        int width = 1 + java.util.Arrays.stream(Profile.values()).mapToInt(p -> p.key().length()).max().orElse(0);
        return String.format("%-" + width + "s", text);
    }

    private static String mark(ProfileRule r, Profile p) {
        return r.appliesTo(p) ? "yes" : "-";
    }
}
