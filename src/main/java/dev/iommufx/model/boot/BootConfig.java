package dev.iommufx.model.boot;

import java.util.List;
import java.util.Map;

/**
 * How a machine boots, as its configuration files say (kernel-model §2.7): the kernel command line, kmod's
 * {@code /etc/modprobe.d}, the initramfs, the modules {@code systemd-modules-load} loads in the real root, and
 * driverctl's saved overrides.
 *
 * @param cmdline     the kernel command line
 * @param cmdlineFrom the file it came from, for messages (null when none was given)
 * @param modprobe    {@code /etc/modprobe.d}
 * @param initramfs   the initramfs
 * @param modulesLoad {@code /etc/modules-load.d/*.conf} and {@code /etc/modules}, in order
 * @param driverctl   driverctl's saved overrides: PCI address to driver name ({@code none}: bind nothing)
 * @param notes       what the reader skipped or assumed
 */
public record BootConfig(KernelCommandLine cmdline, String cmdlineFrom, ModprobeConfig modprobe, Initramfs initramfs,
                         List<String> modulesLoad, Map<String, String> driverctl, List<String> notes) {
    /** A machine booted with nothing configured: no options, no initramfs, no overrides. */
    public static final BootConfig PLAIN = new BootConfig(KernelCommandLine.EMPTY, null, ModprobeConfig.EMPTY,
            Initramfs.NONE, List.of(), Map.of(), List.of());
}
