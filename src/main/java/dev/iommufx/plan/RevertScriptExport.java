package dev.iommufx.plan;

import dev.iommufx.model.DriverSpec;

import dev.iommufx.boot.PersistConfig;
import java.util.List;

/**
 * The way back: a POSIX {@code sh} script that returns every device a plan moves to the driver it had when the
 * plan was made (or leaves it without a driver, if it had none), with the same checks and quoting as the
 * passthrough script ({@link ShellScriptExport}): the device must still have the vendor and device IDs the plan
 * saw, every value from the machine reaches the shell single-quoted, and with {@code SYSFS} on a copy it writes
 * only into the copy. A driverctl override (the passthrough script's way when driverctl is installed) is removed
 * with {@code driverctl unset-override}, which also persists the removal.
 */
public final class RevertScriptExport {
    private RevertScriptExport() {
    }

    public static String render(Plan plan) {
        List<String> problems = ShellScriptExport.problems(plan);
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        line(sb, "iommufx revert script: give " + String.join(", ", plan.requested()) + " and the rest of their IOMMU");
        line(sb, "groups back to the drivers they had when the plan was made. Stop the VM first: while a VM holds a");
        line(sb, "device, the kernel waits before it lets vfio-pci go. iommufx never runs this script.");
        line(sb, "");
        for (MemberPlan m : moved(plan)) {
            line(sb, "  " + m.device() + ": back to " + (m.currentDriver() == null ? "no driver"
                    : DriverSpec.isUnknown(m.currentDriver()) ? "the driver the kernel picks (the plan's source did not"
                    + " say which it had)" : m.currentDriver()));
        }
        line(sb, "It also removes the boot configuration iommufx's persist script wrote, if any, so that the next");
        line(sb, "boot gives the devices to their drivers again.");
        line(sb, "To try it on a copy: SYSFS=/path/to/sysfs-copy ROOT=/path/to/root-copy sh this-script (driverctl and");
        line(sb, "the initramfs tools are then not run).");
        sb.append("set -eu\nSYSFS=\"${SYSFS:-/sys}\"\nROOT=\"${ROOT:-}\"\n\n");
        ScriptPrelude.append(sb);
        if (!problems.isEmpty()) {
            line(sb, "The plan this script belongs to cannot be carried out, so there is nothing to revert:");
            problems.forEach(p -> line(sb, "  - " + p));
            sb.append("die 'the plan cannot be carried out: there is nothing to revert; nothing was changed'\n");
            return sb.toString();
        }
        sb.append("""
                if [ "$SYSFS" = /sys ] && [ "$(id -u)" != 0 ]; then
                    die "run this script as root"
                fi

                # has_override ADDRESS: driverctl keeps an override for the device (only on the real /sys)
                has_override() {
                    [ "$SYSFS" = /sys ] && command -v driverctl >/dev/null 2>&1 || return 1
                    driverctl list-overrides 2>/dev/null | while read -r _addr _rest; do
                        [ "$_addr" = "$1" ] && echo yes
                    done | grep -q yes
                }

                # give_back ADDRESS VENDOR DEVICE [DRIVER]: clear the override, unbind, bind DRIVER (if any)
                give_back() {
                    check_ids "$1" "$2" "$3"
                    _dev="$SYSFS/bus/pci/devices/$1"
                    if has_override "$1"; then
                        say "$1: driverctl unset-override $1"
                        driverctl unset-override "$1" || die "driverctl could not remove the override of $1"
                    else
                        say "$1: clearing driver_override"
                        # a lone newline clears the override (driver_override_store() strips it: empty)
                        printf '\\n' > "$_dev/driver_override" || die "could not clear the driver_override of $1"
                    fi
                    if [ $# -ge 4 ] && bound_to "$1" "$4"; then
                        say "$1 is bound to $4 again"
                        return 0
                    fi
                    if [ -e "$_dev/driver" ]; then
                        say "$1: unbinding it from $(driver_of "$1")"
                        write_attr "$_dev/driver/unbind" "$1"
                    fi
                    if [ $# -ge 4 ]; then
                        [ -d "$SYSFS/bus/pci/drivers/$4" ] || die "the $4 driver is not loaded: load it and run this script again"
                        say "$1: binding it to $4"
                        write_attr "$SYSFS/bus/pci/drivers/$4/bind" "$1"
                    fi
                }

                say "checking the devices; nothing changes until every check has passed"
                """);
        for (MemberPlan m : moved(plan)) {
            sb.append("check_ids ").append(args(m)).append('\n');
        }
        sb.append('\n');
        persistentConfiguration(sb, moved(plan));
        for (MemberPlan m : moved(plan)) {
            sb.append(ShellScriptExport.comment(Plan.memberLine(m))).append('\n');
            sb.append("give_back ").append(args(m));
            boolean unknown = m.currentDriver() != null && DriverSpec.isUnknown(m.currentDriver());
            if (m.currentDriver() != null && !unknown) {
                sb.append(' ').append(ShellScriptExport.quote(m.currentDriver()));
            }
            sb.append('\n');
            if (unknown) { // the kernel's own choice: drivers_probe binds the first driver that matches
                sb.append("write_attr \"$SYSFS/bus/pci/drivers_probe\" ")
                        .append(ShellScriptExport.quote(m.device())).append('\n');
            }
        }
        sb.append("say 'done: every device is back on the driver it had'\n");
        return sb.toString();
    }

    /** Removes what {@link PersistScriptExport} writes, and rebuilds what read it. */
    private static void persistentConfiguration(StringBuilder sb, List<MemberPlan> moved) {
        sb.append("# the boot configuration iommufx's persist script writes\nrebuild=no\ngrub=no\n"
                + "remove_persistent() {\n");
        sb.append("for _f in").append(' ').append(ShellScriptExport.quote(PersistConfig.MODPROBE_FILE)).append(' ')
                .append(ShellScriptExport.quote(PersistConfig.DRACUT_FILE)).append(' ')
                .append(ShellScriptExport.quote(PersistConfig.MKINITCPIO_FILE)).append("; do\n");
        sb.append("""
                    if [ -f "$ROOT/$_f" ]; then rm -f "$ROOT/$_f"; say "removed /$_f"; rebuild=yes; fi
                done
                """);
        sb.append("_f=").append(ShellScriptExport.quote(PersistConfig.GRUB_FILE)).append('\n');
        sb.append("""
                if [ -f "$ROOT/$_f" ]; then rm -f "$ROOT/$_f"; say "removed /$_f"; grub=yes; fi
                """);
        sb.append("_f=").append(ShellScriptExport.quote(PersistConfig.INITRAMFS_TOOLS_FILE)).append('\n');
        sb.append("""
                if [ -f "$ROOT/$_f" ] && grep -q '^# iommufx: begin' "$ROOT/$_f"; then
                    sed '/^# iommufx: begin/,/^# iommufx: end/d' "$ROOT/$_f" > "$ROOT/$_f.iommufx-tmp" \\
                        && mv -f "$ROOT/$_f.iommufx-tmp" "$ROOT/$_f" || die "could not edit /$_f"
                    say "removed iommufx's lines from /$_f"
                    rebuild=yes
                fi
                """);
        for (MemberPlan m : moved) {
            sb.append("_f=").append(ShellScriptExport.quote("etc/driverctl.d/pci-" + ShellScriptExport.address(m)))
                    .append('\n').append("if [ -f \"$ROOT/$_f\" ]; then rm -f \"$ROOT/$_f\"; say \"removed /$_f\"; fi\n");
        }
        sb.append("""
                # rebuild_boot: the initramfs and GRUB's configuration without those files (not on a copy)
                rebuild_boot() {
                    if [ -n "$ROOT" ]; then say "would rebuild the initramfs ($rebuild) and GRUB's configuration ($grub)"; return 0; fi
                    if [ "$rebuild" = yes ]; then
                        if command -v update-initramfs >/dev/null 2>&1; then update-initramfs -u -k all
                        elif command -v dracut >/dev/null 2>&1; then dracut --force --regenerate-all
                        elif command -v mkinitcpio >/dev/null 2>&1; then mkinitcpio -P
                        else say "rebuild your initramfs: no update-initramfs, dracut or mkinitcpio was found"; fi
                    fi
                    if [ "$grub" = yes ]; then update-grub || grub-mkconfig -o /boot/grub/grub.cfg; fi
                }
                rebuild_boot
                }
                if [ -z "$ROOT" ] && [ "$SYSFS" != /sys ]; then
                    say "SYSFS is a copy and ROOT is not: the boot configuration in /etc is left alone"
                else
                    remove_persistent
                fi

                """);
    }

    /** The members the plan moves or unbinds, which are the ones to give back. */
    static List<MemberPlan> moved(Plan plan) {
        return plan.members().stream().filter(m -> m.action().changesDriver()).toList();
    }

    private static String args(MemberPlan m) {
        return ShellScriptExport.quote(ShellScriptExport.address(m)) + ' '
                + ShellScriptExport.quote(ShellScriptExport.hex(m.vendor())) + ' '
                + ShellScriptExport.quote(ShellScriptExport.hex(m.deviceId()));
    }

    private static void line(StringBuilder sb, String text) {
        sb.append(ShellScriptExport.comment(text)).append('\n');
    }
}
