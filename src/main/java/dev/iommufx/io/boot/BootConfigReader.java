package dev.iommufx.io.boot;

import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.model.boot.ModprobeConfig;
import dev.iommufx.model.boot.KernelCommandLine;
import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.SafeFiles;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.DriverSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a boot configuration from a directory that holds the machine's files at their paths (docs/formats.md,
 * "Boot configuration"): {@code etc/kernel/cmdline} (or {@code etc/default/grub}'s {@code GRUB_CMDLINE_LINUX*}, or
 * {@code proc/cmdline}), {@code etc/modprobe.d/*.conf}, the initramfs generator's own files
 * ({@code etc/initramfs-tools/}, {@code etc/dracut.conf} and {@code etc/dracut.conf.d/}, {@code etc/mkinitcpio.conf}),
 * {@code etc/modules-load.d/*.conf} and {@code etc/modules}, and {@code etc/driverctl.d/pci-ADDRESS}. Every file is
 * bounded ({@link ConfigText}); absent files mean the distribution's defaults.
 */
public final class BootConfigReader {
    private BootConfigReader() {
    }

    /** Reads the configuration from a directory holding a copy of the machine's files. */
    public static BootConfig read(Path dir) throws FormatException {
        if (SafeFiles.kind(dir) != SafeFiles.Kind.DIRECTORY) {
            throw new FormatException(dir.toString(), 0, 0, "$", "not a directory (expected a directory holding the "
                    + "machine's etc/modprobe.d, etc/kernel/cmdline ... at their paths)");
        }
        return read(ConfigFiles.of(dir));
    }

    /** Reads the configuration from files named by their paths on the machine. */
    public static BootConfig read(ConfigFiles files) throws FormatException {
        List<String> notes = new ArrayList<>();
        String[] from = new String[1];
        KernelCommandLine cmdline = cmdline(files, notes, from);
        ModprobeConfig modprobe = ModprobeConfigReader.read(files, "etc/modprobe.d");
        notes.addAll(modprobe.notes());
        Initramfs initramfs = InitramfsReader.read(files, cmdline, notes);
        return new BootConfig(cmdline, from[0], modprobe, initramfs, modulesLoad(files), driverctl(files, notes),
                notes);
    }

    private static KernelCommandLine cmdline(ConfigFiles files, List<String> notes, String[] from)
            throws FormatException {
        String kernel = files.read("etc/kernel/cmdline");
        if (kernel != null) {
            from[0] = "etc/kernel/cmdline";
            return KernelCommandLine.parse(kernel.strip());
        }
        List<String> grub = new ArrayList<>(files.read("etc/default/grub") == null ? List.of()
                : List.of("etc/default/grub"));
        grub.addAll(files.list("etc/default/grub.d", ".cfg"));
        if (!grub.isEmpty()) {
            from[0] = grub.get(0);
            Map<String, String> vars = new LinkedHashMap<>();
            for (String path : grub) {
                ShellAssignments.parse(files.read(path), path).forEach((name, value) -> vars.put(name,
                        expand(value, vars)));
            }
            String line = (vars.getOrDefault("GRUB_CMDLINE_LINUX", "") + " "
                    + vars.getOrDefault("GRUB_CMDLINE_LINUX_DEFAULT", "")).strip();
            return KernelCommandLine.parse(line);
        }
        String proc = files.read("proc/cmdline");
        if (proc != null) {
            from[0] = "proc/cmdline";
            return KernelCommandLine.parse(proc.strip());
        }
        notes.add("no etc/kernel/cmdline, etc/default/grub or proc/cmdline: the command line is empty");
        return KernelCommandLine.EMPTY;
    }

    /**
     * A grub.d drop-in extends a variable with {@code "$NAME more"}: the earlier value of the two command-line
     * variables is put in; nothing else of the shell is run.
     */
    private static String expand(String value, Map<String, String> vars) {
        String out = value;
        for (String name : List.of("GRUB_CMDLINE_LINUX_DEFAULT", "GRUB_CMDLINE_LINUX")) {
            String now = vars.getOrDefault(name, "");
            out = out.replace("${" + name + "}", now).replace("$" + name, now);
        }
        return out.strip();
    }

    /** systemd-modules-load's lists: one module per line. */
    private static List<String> modulesLoad(ConfigFiles files) throws FormatException {
        List<String> paths = new ArrayList<>(files.list("etc/modules-load.d", ".conf"));
        paths.add("etc/modules");
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            String text = files.read(path);
            for (ConfigText.Line line : text == null ? List.<ConfigText.Line>of() : ConfigText.lines(text, path)) {
                out.add(DriverSpec.moduleName(ConfigText.words(line.text()).get(0)));
            }
        }
        return List.copyOf(out);
    }

    /** driverctl's saved overrides: {@code etc/driverctl.d/pci-DDDD:BB:DD.F} holding the driver's name. */
    private static Map<String, String> driverctl(ConfigFiles files, List<String> notes) throws FormatException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : files.list("etc/driverctl.d", "")) {
            String fileName = path.substring(path.lastIndexOf('/') + 1);
            Bdf bdf = fileName.startsWith("pci-") ? Bdf.parseOrNull(fileName.substring(4)) : null;
            if (bdf == null) {
                notes.add(path + ": not pci-DDDD:BB:DD.F; skipped");
                continue;
            }
            List<ConfigText.Line> lines = ConfigText.lines(files.read(path), path);
            if (lines.isEmpty()) {
                notes.add(path + ": empty; skipped");
                continue;
            }
            out.put(bdf.toString(), lines.get(0).text().strip());
        }
        return out;
    }
}
