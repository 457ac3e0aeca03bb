package dev.iommufx.cli;

import dev.iommufx.engine.Profile;
import dev.iommufx.engine.ProfileRule;
import java.io.PrintStream;

/** {@code iommufx profiles}: every rule in which the kernel profiles differ, and which profiles follow it. */
final class ProfilesCommand {
    private final PrintStream out;

    ProfilesCommand(PrintStream out) {
        this.out = out;
    }

    int run() {
        for (Profile p : Profile.values()) {
            out.printf("%-10s %s%s%n", p.key(), p.title(), p == Profile.DEFAULT ? "  (default)" : "");
            for (ProfileRule r : p.differencesFromDefault()) {
                out.println("             " + (p.has(r) ? "+ " : "- ") + r.title());
            }
        }
        out.println();
        out.printf("%-10s %-5s %-7s  %s%n", "v7-series", "6.1", "newest", "rule");
        for (ProfileRule r : ProfileRule.values()) {
            out.printf("%-10s %-5s %-7s  %s%n", mark(r, Profile.V7_SERIES), mark(r, Profile.LINUX_6_1),
                    mark(r, Profile.NEWEST), r.title());
            out.println("                            " + r.kernelCode());
            out.println("                            spec " + r.spec() + ". " + r.effect());
        }
        return Cli.OK;
    }

    private static String mark(ProfileRule r, Profile p) {
        return r.appliesTo(p) ? "yes" : "-";
    }
}
