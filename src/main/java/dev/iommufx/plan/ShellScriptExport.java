package dev.iommufx.plan;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a plan as a POSIX {@code sh} script the user reads and then runs, as root, on the real machine.
 * iommufx never runs it.
 *
 * <p>The script checks before it changes anything: every device of every planned group must still have the
 * vendor and device IDs the plan expects, and every group must hold exactly the planned members; the VFIO
 * driver must be loaded. Then it moves the devices: with {@code driverctl} if it is installed (the override
 * survives reboots), otherwise by writing {@code driver_override}, the old driver's {@code unbind} and the
 * VFIO driver's {@code bind}. The sysfs root comes from {@code SYSFS} (default {@code /sys}), so the script
 * can be tried on a copy.
 *
 * <p>Safety: every value the script did not write itself (addresses, IDs, driver names) reaches the shell only
 * as a single-quoted literal made by {@link #quote}; driver names are also checked against the characters a
 * kernel driver name uses. Names and other free text from a topology appear only in {@code #} comments, after
 * {@link #comment} has replaced every control character (a newline would end the comment).
 */
public final class ShellScriptExport {
    /** What a driver name the script acts on may look like (kernel module and driver names). */
    private static final Pattern SAFE_DRIVER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
    /** PCI drivers with {@code driver_managed_dma} in 6.1 (kernel-model §2.5): harmless neighbours. */
    private static final List<String> HARMLESS_PCI_DRIVERS =
            List.of("vfio-pci", "mlx5_vfio_pci", "hisi_acc_vfio_pci", "pci-stub", "pcieport");

    private ShellScriptExport() {
    }

    /**
     * A single-quoted sh literal that stands for exactly {@code value}: {@code '} inside becomes {@code '\''}.
     * Nothing in a single-quoted word is expanded ({@code $}, backquotes, {@code *}, newlines are literal).
     *
     * @throws IllegalArgumentException if the value holds a NUL character, which no shell word can hold
     */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot hold a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A {@code #} comment line: control characters (newline, carriage return, escapes) become '?'. */
    public static String comment(String text) {
        String line = Plan.oneLine(text);
        return line.isEmpty() ? "#" : "# " + line;
    }

    /** The script for a plan. A plan the script cannot carry out gives a script that explains why and stops. */
    public static String render(Plan plan) {
        List<String> problems = problems(plan);
        StringBuilder sb = new StringBuilder();
        header(sb, plan, problems);
        sb.append("set -eu\n");
        sb.append("SYSFS=\"${SYSFS:-/sys}\"\n\n");
        ScriptPrelude.append(sb);
        if (!problems.isEmpty()) {
            sb.append("die 'this plan cannot be carried out (see the comments at the top of this script);"
                    + " nothing was changed'\n");
            return sb.toString();
        }
        body(sb, plan);
        return sb.toString();
    }

    /** Why the script cannot carry out the plan; empty when it can. */
    public static List<String> problems(Plan plan) {
        List<String> out = new ArrayList<>();
        for (Refusal r : plan.refusals()) {
            out.add(r.device() + ": the kernel would refuse it with " + r.errno() + " (" + r.reason() + ")");
        }
        for (MemberPlan m : plan.members()) {
            if (m.bus() != BusType.PCI) {
                out.add(m.device() + " is on the " + m.bus().sysfsName() + " bus: this script handles PCI devices only");
            } else if (Bdf.parseOrNull(m.device()) == null) {
                out.add(m.device() + " is not a PCI address");
            }
            if (m.targetDriver() != null && !SAFE_DRIVER.matcher(m.targetDriver()).matches()) {
                out.add(m.device() + ": '" + m.targetDriver() + "' does not look like a kernel driver name");
            }
        }
        if (plan.groups().isEmpty() && plan.refusals().isEmpty()) {
            out.add("the plan gives no group to the VM");
        }
        return out;
    }

    // --- the parts of the script ---------------------------------------------------------------

    private static void header(StringBuilder sb, Plan plan, List<String> problems) {
        sb.append("#!/bin/sh\n");
        line(sb, "iommufx passthrough script: give " + String.join(", ", plan.requested()) + " to a virtual machine ("
                + plan.vm() + ").");
        line(sb, "Written by iommufx from its simulation of the machine. iommufx never runs this script:");
        line(sb, "read it, then run it yourself, as root, on that machine.");
        line(sb, "");
        line(sb, "What it will do, group by group:");
        for (GroupPlan g : plan.groups()) {
            line(sb, "");
            line(sb, "  IOMMU group " + g.group() + " (now " + (g.stateBefore() == null ? "unknown"
                    : g.stateBefore().label()) + "):");
            for (MemberPlan m : g.members()) {
                line(sb, "    [" + ids(m) + "] " + Plan.memberLine(m));
            }
        }
        if (!plan.warnings().isEmpty()) {
            line(sb, "");
            line(sb, "Warnings: the host will lose what goes to the VM:");
            for (PlanWarning w : plan.warnings()) {
                line(sb, "  ! " + w.text());
            }
        }
        if (!problems.isEmpty()) {
            line(sb, "");
            line(sb, "THIS PLAN CANNOT BE CARRIED OUT; the script stops at once and changes nothing:");
            for (String p : problems) {
                line(sb, "  - " + p);
            }
        }
        line(sb, "");
        line(sb, "How: it first checks every device's vendor and device IDs and every group's members, and stops");
        line(sb, "without changing anything if one differs from the plan. Then, if driverctl is installed (and SYSFS");
        line(sb, "is /sys), it runs");
        line(sb, "'driverctl set-override ADDRESS DRIVER' for each device (the override survives reboots);");
        line(sb, "otherwise it writes the driver to the device's driver_override, the address to its driver's");
        line(sb, "unbind (if it has one) and to the new driver's bind (until the next reboot).");
        line(sb, "It does not start the VM: give the groups to it in your VM manager.");
        line(sb, "To try it on a copy of sysfs, set SYSFS: SYSFS=/path/to/copy sh this-script (a dry run:");
        line(sb, "it writes only under that copy and runs neither driverctl nor modprobe).");
        sb.append('\n');
    }

    private static void body(StringBuilder sb, Plan plan) {
        Set<String> targets = new LinkedHashSet<>();
        plan.members().stream().filter(m -> m.targetDriver() != null && m.action() != MemberAction.NOTHING)
                .forEach(m -> targets.add(m.targetDriver()));
        Set<String> harmless = new LinkedHashSet<>(targets);
        harmless.addAll(HARMLESS_PCI_DRIVERS);
        sb.append("""
                # report_group GROUP: is every member on a driver that lets VFIO take the group?
                report_group() {
                    _bad=no
                    for _entry in "$SYSFS/kernel/iommu_groups/$1/devices"/*; do
                        [ -e "$_entry/driver" ] || continue
                        _drv=$(real_dir "$_entry/driver") || continue
                        _drv=${_drv##*/}
                        case $_drv in
                """);
        sb.append("            ").append(String.join("|", harmless.stream().map(ShellScriptExport::quote).toList()))
                .append(") ;;\n");
        sb.append("""
                            *) say "group $1: ${_entry##*/} is still bound to $_drv"; _bad=yes ;;
                        esac
                    done
                    if [ "$_bad" = no ]; then
                        say "group $1: every member is on a driver that lets VFIO take it"
                    elif [ "$SYSFS" = /sys ]; then
                        die "VFIO will refuse group $1 (EPERM) while a member is bound to a DMA-API driver"
                    else
                        say "group $1: SYSFS is not /sys, so no kernel acted on these writes; this is only a report"
                    fi
                }

                if [ "$SYSFS" = /sys ] && [ "$(id -u)" != 0 ]; then
                    die "run this script as root"
                fi
                # driverctl and modprobe act on the real machine whatever SYSFS says: a dry run on a copy
                # (SYSFS not /sys) uses neither, and writes only into the copy
                if [ "$SYSFS" = /sys ] && command -v driverctl >/dev/null 2>&1; then
                    use_driverctl=yes
                else
                    use_driverctl=no
                fi
                if [ "$SYSFS" != /sys ]; then
                    say "dry run on $SYSFS: only files under it are written; driverctl and modprobe are not used"
                fi

                # 1. Check everything before changing anything.
                say "checking the devices; nothing changes until every check has passed"
                """);
        for (GroupPlan g : plan.groups()) {
            sb.append("check_group ").append(g.group());
            g.members().forEach(m -> sb.append(' ').append(quote(address(m))));
            sb.append('\n');
            for (MemberPlan m : g.members()) {
                sb.append("check_ids ").append(idArgs(m)).append('\n');
            }
        }
        for (String t : targets) {
            sb.append("need_driver ").append(quote(t)).append('\n');
        }
        sb.append("\n# 2. Move the devices.\n");
        for (GroupPlan g : plan.groups()) {
            sb.append(comment("IOMMU group " + g.group())).append('\n');
            sb.append("passed=\n");
            for (MemberPlan m : g.members()) {
                sb.append(comment(Plan.memberLine(m))).append('\n');
                String args = idArgs(m);
                // a group mate of unknown class may be the bridge above the device: the machine says which
                String move = m.action() == MemberAction.MUST_LEAVE && m.pciClass() == 0 ? "move_unless_bridge " : "move ";
                switch (m.action()) {
                    case ASSIGN, ALREADY_ASSIGNED, MUST_LEAVE ->
                            sb.append(move).append(args).append(' ').append(quote(m.targetDriver())).append('\n');
                    case UNBIND -> sb.append("unbind_only ").append(args).append('\n');
                    case NOTHING, REFUSED -> {
                    }
                }
            }
            sb.append("passed_").append(g.group()).append("=$passed\n");
        }
        sb.append("\n# 3. Check the result.\n");
        for (GroupPlan g : plan.groups()) {
            sb.append("report_group ").append(g.group()).append('\n');
        }
        for (GroupPlan g : plan.groups()) {
            // the devices the moves named, which on a machine of unknown classes the plan cannot list itself
            sb.append("say ").append(quote("done: IOMMU group " + g.group() + " (/dev/vfio/" + g.group()
                    + ") can be given to a VM, for example with QEMU:")).append("\"$passed_").append(g.group())
                    .append("\"\n");
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void line(StringBuilder sb, String text) {
        sb.append(comment(text)).append('\n');
    }

    private static String idArgs(MemberPlan m) {
        return idArgs(address(m), m.vendor(), m.deviceId());
    }

    /**
     * ADDRESS VENDOR DEVICE for the scripts' {@code check_ids} and the functions that call it; the IDs empty where
     * the plan's source did not give them (vendor 0), which {@code check_ids} then leaves to the group check.
     */
    static String idArgs(String address, int vendor, int device) {
        boolean known = vendor != 0;
        return quote(address) + ' ' + quote(known ? hex(vendor) : "") + ' ' + quote(known ? hex(device) : "");
    }

    /** The sysfs name of a PCI member: the canonical address (checked by {@link #problems}). */
    static String address(MemberPlan m) {
        return Bdf.parse(m.device()).toString();
    }

    /** How sysfs {@code vendor} and {@code device} read: "0x10de". */
    static String hex(int id) {
        return String.format("0x%04x", id);
    }

    private static String ids(MemberPlan m) {
        return String.format("%04x:%04x", m.vendor(), m.deviceId());
    }
}
