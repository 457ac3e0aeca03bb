package dev.iommufx.plan;

import dev.iommufx.boot.PersistCheck;
import dev.iommufx.boot.PersistConfig;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plan made to survive a reboot: a POSIX {@code sh} script that writes the boot configuration
 * {@link PersistConfig} proposes and rebuilds what reads it (the initramfs, GRUB's configuration). It is shown only
 * when booting the simulated machine with that configuration ends with every device where the plan wants it and
 * the host's devices where they are ({@link PersistCheck}); otherwise the script explains why and stops. Like the
 * runtime script it first checks that each device is the one the plan was made for; with {@code ROOT} set it
 * writes under that directory instead of {@code /} and runs no command (a dry run on a copy).
 */
public final class PersistScriptExport {
    /** Module names that reach the files: those of the kernel's own modules. */
    private static final String REFUSAL =
            "echo 'iommufx: error: the configuration would not work after a reboot; nothing was changed' >&2";
    private static final Pattern SAFE_MODULE = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private PersistScriptExport() {
    }

    /** Whether a rendered script is one that explains why the configuration would not work and stops. */
    public static boolean refuses(String script) {
        return script.contains("\n" + REFUSAL + "\n");
    }

    /** The devices the configuration binds at boot: every member the plan moves or unbinds. */
    static List<PersistConfig.Target> targets(Plan plan, Topology machine) {
        List<PersistConfig.Target> out = new ArrayList<>();
        for (MemberPlan m : RevertScriptExport.moved(plan)) {
            // a driver the source does not name has no module to order vfio-pci before (no softdep)
            DriverSpec host = m.currentDriver() == null || DriverSpec.isUnknown(m.currentDriver()) ? null
                    : machine.drivers().stream()
                    .filter(d -> d.bus() == m.bus() && d.name().equals(m.currentDriver())).findFirst().orElse(null);
            String module = host == null || host.vfio() ? null : host.module();
            out.add(new PersistConfig.Target(ShellScriptExport.address(m), m.vendor(), m.deviceId(), module,
                    m.targetDriver() != null));
        }
        return out;
    }

    public static String render(Plan plan, PlanOutput.Options options) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        List<String> problems = new ArrayList<>(ShellScriptExport.problems(plan));
        if (options.machine() == null) {
            problems.add("no machine to check the configuration on");
        }
        List<PersistConfig.Target> targets = options.machine() == null ? List.of() : targets(plan, options.machine());
        targets.stream().filter(t -> t.hostModule() != null && !SAFE_MODULE.matcher(t.hostModule()).matches())
                .forEach(t -> problems.add("the module name of " + t.address() + "'s driver is not a module name"));
        if (options.style() == PersistConfig.Style.MODPROBE || options.style() == PersistConfig.Style.CMDLINE) {
            targets.stream().filter(t -> t.toVfio() && t.vendor() == 0).findFirst().ifPresent(t -> problems.add(
                    "the source gives no vendor:device IDs (" + t.address() + "), so ids= cannot name the devices:"
                    + " use --style override or driverctl, which bind by address, or import a listing with IDs"
                    + " (lspci -nn)"));
        }
        PersistConfig.Proposal proposal = PersistConfig.of(targets, options.style(), options.generator());
        if (problems.isEmpty()) {
            PersistCheck.Result checked = PersistCheck.check(options.machine(), options.profile(), targets, proposal,
                    options.existing());
            checked.problems().forEach(p -> problems.add(checked.report() == null ? p : "after a simulated boot, " + p));
            if (checked.report() != null && !checked.works()) {
                checked.report().warnings().forEach(w -> problems.add("the boot says: " + w));
            }
        }
        header(sb, plan, proposal);
        if (!problems.isEmpty()) {
            line(sb, "This configuration would not work, so the script changes nothing:");
            problems.forEach(p -> line(sb, "  - " + p));
            if (options.style() != PersistConfig.Style.OVERRIDE && options.style() != PersistConfig.Style.DRIVERCTL) {
                line(sb, "Identical cards, or a host driver built into the kernel? Try --style override or driverctl.");
            }
            sb.append(REFUSAL).append("\nexit 1\n");
            return sb.toString();
        }
        body(sb, targets, proposal);
        return sb.toString();
    }

    private static void header(StringBuilder sb, Plan plan, PersistConfig.Proposal p) {
        line(sb, "iommufx persistent configuration: at every boot, give " + String.join(", ", plan.requested())
                + " and the rest of their IOMMU groups to vfio-pci.");
        line(sb, "Style: " + p.style().key() + " (" + p.style().summary() + ").");
        if (p.style() != PersistConfig.Style.DRIVERCTL) {
            line(sb, "Initramfs: " + p.generator().title() + ".");
        }
        line(sb, "Checked by booting the simulated machine with it: each device ends where the plan wants it.");
        line(sb, "It writes (the revert script removes them):");
        p.asFiles().keySet().forEach(f -> line(sb, "  /" + f));
        line(sb, "To try it on a copy: ROOT=/path/to/copy sh this-script (it writes there and runs no command).");
        line(sb, "iommufx never runs this script.");
        sb.append("set -eu\nROOT=\"${ROOT:-}\"\nSYSFS=\"${SYSFS:-/sys}\"\n\n");
    }

    private static void body(StringBuilder sb, List<PersistConfig.Target> targets, PersistConfig.Proposal p) {
        ScriptPrelude.append(sb);
        sb.append("""
                if [ -z "$ROOT" ] && [ "$SYSFS" != /sys ]; then
                    die "SYSFS is a copy: set ROOT to a copy of / as well, so that nothing real is written"
                fi
                if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
                    die "run this script as root"
                fi

                # put FILE: standard input becomes $ROOT/FILE, atomically (a temporary file, then a rename)
                put() {
                    mkdir -p "$ROOT/${1%/*}"
                    cat > "$ROOT/$1.iommufx-tmp" && mv -f "$ROOT/$1.iommufx-tmp" "$ROOT/$1" || die "could not write /$1"
                    say "wrote /$1"
                }

                # add_lines FILE: standard input becomes iommufx's block at the end of FILE (an old block is replaced)
                add_lines() {
                    mkdir -p "$ROOT/${1%/*}"
                    { if [ -f "$ROOT/$1" ]; then sed '/^# iommufx: begin/,/^# iommufx: end/d' "$ROOT/$1"; fi
                      echo '@BEGIN@'; cat; echo '@END@'; } > "$ROOT/$1.iommufx-tmp" && mv -f "$ROOT/$1.iommufx-tmp" "$ROOT/$1" \\
                        || die "could not add lines to /$1"
                    say "added iommufx's lines to /$1"
                }

                # run COMMAND...: run it on the real machine; only say it on a copy
                run() {
                    if [ -n "$ROOT" ]; then say "would run: $*"; return 0; fi
                    say "running: $*"
                    sh -c "$*" || die "'$*' failed: the configuration is written but not in effect; fix it and run the command again"
                }

                say "checking the devices; nothing changes until every check has passed"
                """.replace("@BEGIN@", PersistConfig.BEGIN).replace("@END@", PersistConfig.END));
        if (p.style() == PersistConfig.Style.DRIVERCTL) {
            sb.append("if [ -z \"$ROOT\" ]; then command -v driverctl >/dev/null 2>&1 || die \"driverctl is not "
                    + "installed: it is what applies these overrides at boot\"; fi\n");
        }
        for (PersistConfig.Target t : targets) {
            sb.append("check_ids ").append(ShellScriptExport.idArgs(t.address(), t.vendor(), t.device())).append('\n');
            if (t.vendor() == 0 && t.toVfio()) {
                // made from a listing without IDs or classes: a bridge given an override would lose pcieport
                sb.append("is_bridge ").append(ShellScriptExport.quote(t.address())).append(" && die ")
                        .append(ShellScriptExport.quote(t.address() + " is a bridge, which this configuration (made"
                        + " from a listing without classes) would take from pcieport: make it again from a listing"
                        + " with classes (lspci -nn)")).append('\n');
            }
        }
        sb.append('\n');
        for (Map.Entry<String, String> f : p.files().entrySet()) {
            sb.append("put ").append(ShellScriptExport.quote(f.getKey())).append(" <<'IOMMUFX_EOF'\n")
                    .append(f.getValue()).append("IOMMUFX_EOF\n");
        }
        for (Map.Entry<String, String> f : p.appended().entrySet()) {
            sb.append("add_lines ").append(ShellScriptExport.quote(f.getKey())).append(" <<'IOMMUFX_EOF'\n")
                    .append(f.getValue()).append("IOMMUFX_EOF\n");
        }
        for (Map.Entry<String, String> o : p.driverctl().entrySet()) {
            sb.append("printf '%s\\n' ").append(ShellScriptExport.quote(o.getValue())).append(" | put ")
                    .append(ShellScriptExport.quote("etc/driverctl.d/pci-" + o.getKey())).append('\n');
        }
        for (String command : p.commands()) {
            sb.append("run ").append(ShellScriptExport.quote(command)).append('\n');
        }
        sb.append("say 'done: the configuration takes effect at the next boot'\n");
    }

    private static void line(StringBuilder sb, String text) {
        sb.append(ShellScriptExport.comment(text)).append('\n');
    }
}
