package dev.iommufx.io.boot;

import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.model.boot.KernelCommandLine;
import dev.iommufx.io.FormatException;
import dev.iommufx.model.DriverSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which initramfs generator the configuration belongs to, and what its files say (kernel-model §2.7): the first of
 * mkinitcpio ({@code etc/mkinitcpio.conf}), dracut ({@code etc/dracut.conf}, {@code etc/dracut.conf.d/*.conf}) and
 * initramfs-tools ({@code etc/initramfs-tools/}) that has files; none of them means no initramfs.
 */
final class InitramfsReader {
    private InitramfsReader() {
    }

    static Initramfs read(ConfigFiles files, KernelCommandLine cmdline, List<String> notes)
            throws FormatException {
        String mkinitcpio = concatenated(files, "etc/mkinitcpio.conf", "etc/mkinitcpio.conf.d");
        if (mkinitcpio != null) {
            return mkinitcpio(ShellAssignments.parse(mkinitcpio, "etc/mkinitcpio.conf"), cmdline, notes);
        }
        String dracut = concatenated(files, "etc/dracut.conf", "etc/dracut.conf.d");
        if (dracut != null) {
            return dracut(ShellAssignments.parse(dracut, "etc/dracut.conf"), cmdline);
        }
        if (files.isDirectory("etc/initramfs-tools")) {
            return initramfsTools(files);
        }
        return Initramfs.NONE;
    }

    /** A configuration file and its drop-in directory's {@code *.conf}, in that order; null when none exists. */
    private static String concatenated(ConfigFiles files, String main, String dropIns) throws FormatException {
        List<String> paths = new ArrayList<>();
        if (files.read(main) != null) {
            paths.add(main);
        }
        paths.addAll(files.list(dropIns, ".conf"));
        if (paths.isEmpty()) {
            return null;
        }
        StringBuilder all = new StringBuilder();
        for (String p : paths) {
            all.append(files.read(p)).append('\n');
        }
        return all.toString();
    }

    /** mkinitcpio: MODULES load before coldplug with the udev hook (with the systemd hook, they race it). */
    private static Initramfs mkinitcpio(Map<String, String> vars, KernelCommandLine cmdline, List<String> notes) {
        List<String> hooks = words(vars.getOrDefault("HOOKS", "base udev autodetect modconf kms block filesystems"));
        List<Initramfs.Load> modules = loads(words(vars.getOrDefault("MODULES", "")));
        modules.addAll(loads(cmdline.list("earlymodules")));
        boolean systemd = hooks.contains("systemd");
        if (systemd) {
            notes.add("mkinitcpio's systemd hook loads MODULES through systemd-modules-load, unordered against "
                    + "udev's coldplug: taken as loading after it (the worst case)");
        }
        return new Initramfs(Initramfs.Generator.MKINITCPIO, systemd ? List.of() : modules,
                systemd ? modules : List.of(), List.of(), hooks.contains("kms"), hooks.contains("modconf"));
    }

    /** dracut: force_drivers and rd.driver.pre load before udev starts; add_drivers are only included. */
    private static Initramfs dracut(Map<String, String> vars, KernelCommandLine cmdline) {
        List<Initramfs.Load> early = loads(words(vars.getOrDefault("force_drivers", "")));
        early.addAll(loads(cmdline.list("rd.driver.pre")));
        List<String> omitted = words(vars.getOrDefault("omit_dracutmodules", ""));
        boolean hostonly = !"no".equals(vars.getOrDefault("hostonly", "yes"));
        return new Initramfs(Initramfs.Generator.DRACUT, early, loads(cmdline.list("rd.driver.post")),
                moduleNames(words(vars.getOrDefault("add_drivers", ""))),
                !omitted.contains("drm") && !omitted.contains("plymouth"), hostonly);
    }

    /** initramfs-tools: the modules file loads after coldplug ({@code load_modules} follows {@code init-top}). */
    private static Initramfs initramfsTools(ConfigFiles files) throws FormatException {
        List<Initramfs.Load> late = new ArrayList<>();
        String modules = files.read("etc/initramfs-tools/modules");
        if (modules != null) {
            for (ConfigText.Line line : ConfigText.lines(modules, "etc/initramfs-tools/modules")) {
                List<String> w = ConfigText.words(line.text());
                late.add(new Initramfs.Load(DriverSpec.moduleName(w.get(0)), List.copyOf(w.subList(1, w.size()))));
            }
        }
        boolean framebuffer = false;
        List<String> confs = new ArrayList<>();
        if (files.read("etc/initramfs-tools/initramfs.conf") != null) {
            confs.add("etc/initramfs-tools/initramfs.conf");
        }
        confs.addAll(files.list("etc/initramfs-tools/conf.d", ""));
        for (String conf : confs) {
            String fb = ShellAssignments.parse(files.read(conf), conf).get("FRAMEBUFFER");
            framebuffer |= fb != null && (fb.equalsIgnoreCase("y") || fb.equalsIgnoreCase("yes"));
        }
        return new Initramfs(Initramfs.Generator.INITRAMFS_TOOLS, List.of(), late, List.of(), framebuffer, true);
    }

    private static List<String> words(String value) {
        List<String> out = new ArrayList<>();
        for (String w : ConfigText.words(value)) {
            String s = w.replace("\"", "").replace("'", "");
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Initramfs.Load> loads(List<String> modules) {
        List<Initramfs.Load> out = new ArrayList<>();
        for (String m : modules) {
            out.add(new Initramfs.Load(DriverSpec.moduleName(m), List.of()));
        }
        return out;
    }

    private static List<String> moduleNames(List<String> modules) {
        return modules.stream().map(DriverSpec::moduleName).toList();
    }
}
