package dev.iommufx.engine.boot;

import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.model.boot.ModprobeConfig;
import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kmod's {@code modprobe} as the boot runs it (kmod 30, kernel-model §2.7): a module already loaded is skipped;
 * the kernel's {@code module_blacklist=} refuses every load; a {@code softdep}'s pre modules load first and its
 * post modules after, each with its own options; the options are modprobe.d's {@code options} lines, then the
 * command line's {@code module.param=}, then what the caller adds; {@code blacklist} (and
 * {@code modprobe.blacklist=}) stop only loads by alias, which is what coldplug does. In the initramfs kmod sees the
 * image's copy of modprobe.d, if the image has one. An {@code install} command runs instead of the load: it is not
 * simulated, except iommufx's own driver_override hook ({@link OverrideHook}).
 */
final class Kmod {
    /** The actions of the boot are recorded by its simulation. */
    interface Recorder {
        void record(BootReport.Stage stage, String action, OpResult result);

        /** An action the kernel was not asked for, with the answer it would give. */
        void refused(BootReport.Stage stage, String action, String result);
    }

    private final Kernel k;
    private final BootConfig config;
    private final Recorder recorder;
    private final List<String> notes;
    /** Modules the boot loaded explicitly or as a softdep although a blacklist named them (kmod's issue 439). */
    final Set<String> blacklistedButLoaded = new LinkedHashSet<>();
    /** The stage each module was loaded at, in load order. */
    final Map<String, BootReport.Stage> loadedAt = new LinkedHashMap<>();

    Kmod(Kernel k, BootConfig config, Recorder recorder, List<String> notes) {
        this.k = k;
        this.config = config;
        this.recorder = recorder;
        this.notes = notes;
    }

    /** An explicit {@code modprobe MODULE [options]} (a list, a driverctl unit, a softdep). */
    void probe(String module, List<String> options, boolean inInitramfs, BootReport.Stage stage) {
        load(DriverSpec.moduleName(module), options, inInitramfs, stage, new HashSet<>());
        if (conf(inInitramfs).blacklist().contains(DriverSpec.moduleName(module))) {
            blacklistedButLoaded.add(DriverSpec.moduleName(module));
        }
    }

    /** Coldplug's {@code kmod load MODALIAS}: the blacklists apply. */
    void coldplug(String module, String device, boolean inInitramfs, BootReport.Stage stage) {
        if (Boolean.TRUE.equals(k.modules().get(module))) {
            return;
        }
        if (conf(inInitramfs).blacklist().contains(module) || config.cmdline().list("modprobe.blacklist")
                .contains(module) || (inInitramfs && config.cmdline().list("rd.driver.blacklist").contains(module))) {
            return;
        }
        load(module, List.of(), inInitramfs, stage, new HashSet<>());
    }

    private void load(String module, List<String> extra, boolean inInitramfs, BootReport.Stage stage,
                      Set<String> visiting) {
        if (!visiting.add(module) || !k.modules().containsKey(module)
                || Boolean.TRUE.equals(k.modules().get(module))) {
            return;
        }
        if (config.cmdline().list("module_blacklist").contains(module)) {
            // kernel/module/main.c: blacklisted() -> load_module() fails with -EPERM, for every kind of load
            recorder.refused(stage, "modprobe " + module + " (module_blacklist= on the command line)", "EPERM");
            return;
        }
        ModprobeConfig conf = conf(inInitramfs);
        ModprobeConfig.Softdep softdep = conf.softdepOf(module);
        if (softdep != null) {
            softdep.pre().forEach(m -> load(m, List.of(), inInitramfs, stage, visiting));
        }
        String install = conf.installs().get(module);
        if (install != null && !OverrideHook.apply(install, module, k, stage, recorder)) {
            notes.add("install " + module + " " + install + ": the command is not simulated; the module is loaded as"
                    + " if the line were not there");
        }
        List<String> options = new ArrayList<>(conf.optionsOf(module));
        config.cmdline().moduleOptions(module).forEach((name, value) -> options.add(name + "=" + value));
        options.addAll(extra);
        OpResult r = k.modprobe(module, options.isEmpty() ? null : String.join(" ", options));
        recorder.record(stage, "modprobe " + module + (options.isEmpty() ? "" : " " + String.join(" ", options)), r);
        if (r.ok()) {
            loadedAt.putIfAbsent(module, stage);
        }
        if (softdep != null) {
            softdep.post().forEach(m -> load(m, List.of(), inInitramfs, stage, visiting));
        }
    }

    /** The modprobe.d kmod sees: the image's copy in the initramfs (none when the image has none), else the real one. */
    ModprobeConfig conf(boolean inInitramfs) {
        return inInitramfs && !config.initramfs().withModprobeConf() ? ModprobeConfig.EMPTY : config.modprobe();
    }

    /**
     * Whether the initramfs holds a driver's module: listed by the generator, pulled in by a listed module's
     * softdep (initramfs-tools and dracut follow modprobe.d's softdeps), a display driver when the generator adds
     * them, or a storage driver (every image carries what the root disk needs).
     */
    boolean inImage(DriverSpec drv, Topology machine) {
        Initramfs img = config.initramfs();
        String m = drv.module();
        if (img.lists(m) || (img.displayDrivers() && drivesClass(drv, machine, 0x03))
                || drivesClass(drv, machine, 0x01)) {
            return true;
        }
        if (img.generator() == Initramfs.Generator.MKINITCPIO) {
            return false; // mkinitcpio follows only softdeps built into modules, not modprobe.d's
        }
        for (DriverSpec other : machine.drivers()) {
            ModprobeConfig.Softdep sd = config.modprobe().softdepOf(other.module());
            if (sd != null && (sd.pre().contains(m) || sd.post().contains(m)) && (img.lists(other.module())
                    || (img.displayDrivers() && drivesClass(other, machine, 0x03)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the driver's ID table matches a device of this base class on the machine. */
    private static boolean drivesClass(DriverSpec drv, Topology machine, int baseClass) {
        for (DeviceSpec d : machine.devices()) {
            if (d.pciClass() >> 16 == baseClass && drv.bus() == d.bus() && drv.match().matchesTable(d)) {
                return true;
            }
        }
        return false;
    }
}
