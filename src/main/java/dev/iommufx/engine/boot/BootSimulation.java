package dev.iommufx.engine.boot;

import dev.iommufx.model.boot.Initramfs;
import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.KernelEvents;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.history.Change;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine booted under a boot configuration, in the kernel's and user space's order (kernel-model §2.7): the
 * built-in drivers register first (a built-in vfio-pci with the command line's {@code vfio_pci.ids}); then the
 * initramfs loads its early modules, udev's coldplug loads the modules in the image whose ID tables match each
 * unbound device, and initramfs-tools loads its modules file; in the real root coldplug loads the rest, then
 * {@code systemd-modules-load}; last, driverctl moves the devices it has overrides for. Every load goes through
 * kmod's rules ({@link Kmod}: softdeps, options, blacklists) and the engine's {@code modprobe}, where a new driver
 * binds only unbound devices: so the first driver to load wins a device.
 */
public final class BootSimulation {
    private final Kernel k;
    private final Topology machine;
    private final BootConfig config;
    private final Kmod kmod;
    private final List<BootReport.Event> events = new ArrayList<>();
    private final Map<String, BootReport.Binding> bindings = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private BootSimulation(Topology machine, Profile profile, BootConfig config) {
        this.machine = machine;
        this.config = config;
        this.k = Kernel.boot(powerOn(machine), 0, profile);
        this.kmod = new Kmod(k, config, new Kmod.Recorder() {
            @Override
            public void record(BootReport.Stage stage, String action, OpResult result) {
                BootSimulation.this.record(stage, action, result);
            }

            @Override
            public void refused(BootReport.Stage stage, String action, String result) {
                events.add(new BootReport.Event(stage, action, result));
            }
        }, notes);
    }

    /** Boots the machine: its devices and drivers as described, its bindings as the configuration makes them. */
    public static BootReport boot(Topology machine, Profile profile, BootConfig config) {
        return boot(machine, profile, config, 100_000, new KernelEvents());
    }

    /**
     * The same, the machine after it keeping at most {@code historyLimit} operations to undo and going out on
     * {@code channel} (the window's): the boot's own operations are not heard there, as a real boot is over before
     * anyone looks.
     */
    public static BootReport boot(Topology machine, Profile profile, BootConfig config, int historyLimit,
                                  KernelEvents channel) {
        BootSimulation s = new BootSimulation(machine, profile, config);
        s.run();
        List<String> warnings = BootWarnings.of(s.k, s.machine, s.config, s.bindings, s.kmod);
        List<String> notes = new ArrayList<>(config.notes());
        notes.addAll(s.notes);
        return new BootReport(s.k.startingPoint(historyLimit, channel), List.copyOf(s.events), Map.copyOf(s.bindings), warnings,
                List.copyOf(notes));
    }

    /** The machine at power on: no device bound, no override set, every driver that is not built in unloaded. */
    static Topology powerOn(Topology t) {
        List<DeviceSpec> devices = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            devices.add(new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(), d.device(), d.pciClass(),
                    d.compatible(), d.name(), null, d.group(), d.multifunction(), d.pcieType(), d.acs(), null,
                    d.requiredDomain(), d.quirks(), d.physfn(), d.groupAtDmaConfigure(), d.sriov()));
        }
        List<DriverSpec> drivers = t.drivers().stream().map(d -> d.builtin() ? d : d.withLoaded(false)).toList();
        return new Topology(t.name(), t.description(), t.defaultDomainType(), t.iommuDetach(), devices, drivers,
                t.groups());
    }

    private void run() {
        builtins();
        for (Initramfs.Load l : config.initramfs().beforeColdplug()) {
            kmod.probe(l.module(), l.options(), true, BootReport.Stage.INITRAMFS_EARLY);
        }
        if (config.initramfs().generator() != Initramfs.Generator.NONE) {
            coldplug(true, BootReport.Stage.INITRAMFS_COLDPLUG);
        }
        for (Initramfs.Load l : config.initramfs().afterColdplug()) {
            kmod.probe(l.module(), l.options(), true, BootReport.Stage.INITRAMFS_LATE);
        }
        coldplug(false, BootReport.Stage.ROOT_COLDPLUG);
        for (String m : config.modulesLoad()) {
            kmod.probe(m, List.of(), false, BootReport.Stage.MODULES_LOAD);
        }
        driverctl();
    }

    /**
     * Built-in drivers register at device_initcall, before any module: a built-in vfio-pci adds the command line's
     * {@code vfio_pci.ids} at its init; then each unbound device is offered to the built-in drivers.
     */
    private void builtins() {
        for (DriverSpec d : machine.drivers()) {
            if (d.builtin() && d.vfio() && d.bus() == BusType.PCI) {
                String ids = config.cmdline().moduleOptions(d.module()).get("ids");
                for (String id : ids == null ? List.<String>of() : List.of(ids.split(","))) {
                    String[] f = id.split(":");
                    if (f.length >= 2) {
                        record(BootReport.Stage.BUILTIN, "vfio_pci_fill_ids: " + id,
                                k.newId(d.name(), String.join(" ", f)));
                    }
                }
            }
        }
        for (Device d : inOrder()) {
            if (d.driver() == null) {
                OpResult r = k.driversProbe(d.id());
                if (d.driver() != null) { // a device no built-in driver matches is not worth a line
                    record(BootReport.Stage.BUILTIN, "device_attach " + d.id(), r);
                }
            }
        }
    }

    /**
     * udev's coldplug: an "add" event for every device, and for each unbound one the modules whose ID tables match
     * it (its modalias) are loaded, unless blacklisted; in the initramfs only the modules the image holds.
     */
    private void coldplug(boolean inInitramfs, BootReport.Stage stage) {
        for (Device d : inOrder()) {
            if (d.driver() != null || !d.isPresent()) {
                continue;
            }
            for (DriverSpec drv : machine.drivers()) {
                if (drv.bus() == d.bus() && drv.match().matchesTable(d.spec())
                        && (!inInitramfs || kmod.inImage(drv, machine))) {
                    kmod.coldplug(drv.module(), d.id(), inInitramfs, stage);
                }
            }
        }
    }

    /** driverctl's unit per saved override: load the driver, unbind the device, set driver_override, probe. */
    private void driverctl() {
        for (Map.Entry<String, String> e : config.driverctl().entrySet()) {
            String dev = e.getKey();
            String drv = e.getValue();
            if (k.device(dev) == null || !k.device(dev).isPresent()) {
                notes.add("etc/driverctl.d: no device " + dev + " on this machine; skipped");
                continue;
            }
            DriverSpec spec = machine.drivers().stream().filter(d -> d.name().equals(drv)).findFirst().orElse(null);
            if (spec != null) {
                kmod.probe(spec.module(), List.of(), false, BootReport.Stage.DRIVERCTL);
            }
            Device d = k.device(dev);
            if (d.driver() != null && !d.driver().name().equals(drv)) {
                record(BootReport.Stage.DRIVERCTL, "unbind " + dev + " from " + d.driver().name(), k.unbind(dev));
            }
            record(BootReport.Stage.DRIVERCTL, "driver_override " + dev + " = " + drv,
                    k.driverOverride(dev, drv.equals("none") ? "none" : drv));
            record(BootReport.Stage.DRIVERCTL, "drivers_probe " + dev, k.driversProbe(dev));
        }
    }

    /** The present devices in enumeration order (PCI by address: bus numbers follow the scan). */
    private List<Device> inOrder() {
        List<Device> out = new ArrayList<>(k.devices().stream().filter(Device::isPresent).toList());
        out.sort(Comparator.comparing((Device d) -> d.bdf() == null ? 1 : 0).thenComparing(d -> d.bdf() == null
                ? d.id() : d.bdf().toString()));
        return out;
    }

    /** Keeps an action and notes which devices it bound, at which stage and by which rule. */
    void record(BootReport.Stage stage, String action, OpResult r) {
        events.add(new BootReport.Event(stage, action, r.resultLabel()));
        Set<String> seen = new HashSet<>();
        for (Change c : r.changes()) {
            if (c.subject().equals(Change.DEVICE) && c.field().equals("dev->driver") && c.after() != null
                    && seen.add(c.id())) {
                Device d = k.device(c.id());
                if (d.driver() != null && d.driver().name().equals(String.valueOf(c.after()))) {
                    bindings.put(d.id(), new BootReport.Binding(d.driver().name(), stage, rule(d)));
                }
            }
        }
    }

    /** Why the driver matched: its driver_override, one of its dynamic IDs (vfio-pci's ids=), or its ID table. */
    private static String rule(Device d) {
        if (d.driverOverride() != null) {
            return "driver_override";
        }
        if (d.driver().dynIds().stream().anyMatch(id -> id.matches(d.spec()))) {
            return "dynamic ID (ids=)";
        }
        return d.driver().spec().builtin() ? "built-in, ID table" : "ID table";
    }
}
