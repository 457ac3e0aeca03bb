package dev.iommufx.cli;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupExplainer;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The headless commands. Exit codes: 0 success (every expectation met), 1 an expectation failed,
 * 2 invalid input or usage.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int INVALID = 2;

    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs one command line (without the program name) and returns the exit code. */
    public int run(List<String> args) {
        if (args.isEmpty() || List.of("help", "-h", "--help").contains(args.get(0))) {
            out.print(usage());
            return args.isEmpty() ? INVALID : OK;
        }
        String command = args.get(0);
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        if (command.equals("explain")) {
            return explain(rest);
        }
        if (command.equals("whatif")) {
            return whatIf(rest);
        }
        if (command.equals("plan")) {
            return new PlanCommand(out, err).run(rest, this::load);
        }
        if (command.equals("profiles")) {
            return new ProfilesCommand(out).run();
        }
        if (!List.of("replay", "check", "groups").contains(command)) {
            err.println("iommufx: unknown command '" + command + "'");
            err.print(usage());
            return INVALID;
        }
        boolean json = rest.remove("--json");
        Profile kernel = null;
        int at = rest.indexOf("--kernel");
        if (at >= 0) {
            kernel = at + 1 < rest.size() ? Profile.fromKey(rest.get(at + 1)) : null;
            if (kernel == null) {
                err.println("iommufx " + command + ": --kernel takes one of " + String.join(", ", Profile.keys()));
                return INVALID;
            }
            rest.subList(at, at + 2).clear();
        }
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            err.println("iommufx " + command + ": expected one FILE (and optionally --json and --kernel PROFILE)");
            err.print(usage());
            return INVALID;
        }
        Path file = Path.of(rest.get(0));
        try {
            Scenario s = load(file);
            Scenario run = kernel == null ? s : s.withKernel(kernel.key());
            return switch (command) {
                case "replay" -> new ReplayCommand(out, json).run(run);
                case "check" -> check(run);
                default -> new GroupsCommand(out).run(run);
            };
        } catch (FormatException e) {
            err.println("iommufx: " + e.getMessage());
            return INVALID;
        }
    }

    /** {@code explain FILE DEVICE}: why the device is in its IOMMU group. */
    private int explain(List<String> rest) {
        if (rest.size() != 2) {
            err.println("iommufx explain: expected FILE and a device address");
            err.print(usage());
            return INVALID;
        }
        try {
            Kernel k = Kernel.boot(load(Path.of(rest.get(0))).topology());
            Device d = findDevice(k, rest.get(1));
            if (d == null) {
                err.println("iommufx explain: no device " + rest.get(1) + " in " + rest.get(0));
                return INVALID;
            }
            out.println(d.id() + " (" + d.spec().label() + ") is in IOMMU group "
                    + (d.group() == null ? "none" : d.group().id()) + ":");
            new GroupExplainer(k).explain(d).forEach(line -> out.println("  - " + line));
            return OK;
        } catch (FormatException e) {
            err.println("iommufx: " + e.getMessage());
            return INVALID;
        }
    }

    /** {@code whatif FILE [--enable-acs DEV]... [--acs-override downstream,multifunction] [--spec-correct]}. */
    private int whatIf(List<String> rest) {
        java.util.Set<String> acsOn = new java.util.TreeSet<>();
        boolean downstream = false;
        boolean multifunction = false;
        boolean specCorrect = false;
        String file = null;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("--enable-acs") && i + 1 < rest.size()) {
                acsOn.add(rest.get(++i));
            } else if (a.equals("--acs-override") && i + 1 < rest.size()) {
                List<String> kinds = List.of(rest.get(++i).split(","));
                downstream = kinds.contains("downstream");
                multifunction = kinds.contains("multifunction");
            } else if (a.equals("--spec-correct")) {
                specCorrect = true;
            } else if (!a.startsWith("-") && file == null) {
                file = a;
            } else {
                err.println("iommufx whatif: did not understand '" + a + "'");
                err.print(usage());
                return INVALID;
            }
        }
        if (file == null) {
            err.println("iommufx whatif: expected FILE");
            return INVALID;
        }
        try {
            dev.iommufx.model.Topology t = load(Path.of(file)).topology();
            dev.iommufx.model.Topology after = dev.iommufx.engine.WhatIf.apply(t,
                    new dev.iommufx.engine.WhatIf.Options(acsOn, downstream, multifunction, specCorrect));
            dev.iommufx.engine.WhatIf.differences(t, after).forEach(out::println);
            return OK;
        } catch (FormatException e) {
            err.println("iommufx: " + e.getMessage());
            return INVALID;
        }
    }

    /** A device by its full address, or by the short BB:DD.F form in domain 0000. */
    static Device findDevice(Kernel k, String id) {
        Device d = k.device(id);
        if (d == null && id.length() == 7) {
            d = k.device("0000:" + id);
        }
        return d;
    }

    /** Opens a file (JSON, or anything the importers read), telling on stderr what an importer noted (skipped or assumed). */
    Scenario load(Path file) throws FormatException {
        MachineFiles.Opened o = MachineFiles.open(file);
        for (String note : o.notes()) {
            err.println("iommufx: note: " + note);
        }
        return o.scenario();
    }

    private int check(Scenario s) {
        out.println("ok: " + s.title() + " (" + s.topology().devices().size() + " devices, "
                + s.topology().drivers().size() + " drivers, " + s.steps().size() + " steps)");
        return OK;
    }

    static String usage() {
        return """
                usage: iommufx                        start the desktop app on the bundled workstation
                       iommufx replay FILE [--json] [--kernel PROFILE]
                                      run a scenario: each step's result, call path and groups; PROFILE
                                      (v7-series, 6.1, newest) replaces the scenario's own "kernel"
                       iommufx check FILE             validate a topology or scenario file
                       iommufx groups FILE [--kernel PROFILE]
                                      list the IOMMU groups with members, drivers and states
                       iommufx profiles               the rules in which the kernel profiles differ
                       iommufx explain FILE DEVICE    why DEVICE (an address like 0000:01:00.1) is in its group
                       iommufx plan FILE --assign DEVICE [--assign DEVICE]... [--script OUT.sh]
                                      give devices to a VM: what must move, applied in the simulator
                       iommufx whatif FILE [--enable-acs DEVICE]... [--acs-override downstream,multifunction]
                                      [--spec-correct]  how the groups would change
                       iommufx help
                FILE is a topology or scenario (.json), or what a machine gives: a sysfs snapshot (.tar.gz from
                collect-iommu-snapshot, or its unpacked directory), a listing (lspci -nnvmm, lspci -tv, the IOMMU
                group loop, ls-iommu), libvirt node-device XML or hwloc XML.
                exit codes: 0 ok, 1 an expectation was not met (plan: not feasible), 2 invalid input
                """;
    }
}
