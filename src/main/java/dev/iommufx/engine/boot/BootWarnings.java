package dev.iommufx.engine.boot;

import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.PciDynId;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classic mistakes a simulated boot shows (kernel-model §2.7), each in plain words with the fix: a device meant
 * for vfio-pci that a host driver took first, and why (no softdep; vfio-pci loaded after coldplug; not in the
 * initramfs while the host driver is); {@code ids=} capturing more than the devices meant (a second identical card,
 * the only display); a group left half on vfio-pci; blacklist names written with dashes; options of a built-in
 * vfio-pci in modprobe.d; driverctl moving a device only after its host driver bound it; {@code pcie_acs_override}
 * on a kernel without the out-of-tree patch.
 */
final class BootWarnings {
    private BootWarnings() {
    }

    static List<String> of(Kernel k, Topology machine, BootConfig config, Map<String, BootReport.Binding> bindings,
                           Kmod kmod) {
        List<String> out = new ArrayList<>();
        Driver vfio = k.driver(BusType.PCI, "vfio-pci");
        meantForVfioButTaken(k, config, bindings, kmod, out);
        if (vfio != null) {
            idsCaptureTooMuch(k, vfio, out);
        }
        groupsHalfOnVfio(k, out);
        for (String list : List.of("module_blacklist", "modprobe.blacklist")) {
            for (String name : config.cmdline().list(list)) {
                if (name.contains("-")) {
                    out.add(list + "=" + name + " names the module with a dash; module names use underscores ("
                            + name.replace('-', '_') + "), so this entry blocks nothing");
                }
            }
        }
        for (String m : kmod.blacklistedButLoaded) {
            out.add("\"blacklist " + m + "\" stops only loading by alias; " + m + " was still loaded by name (a list,"
                    + " a softdep or driverctl). To stop a module for good: install " + m + " /bin/false");
        }
        machine.drivers().stream().filter(d -> d.builtin() && d.vfio()).findFirst().ifPresent(d -> {
            if (!config.modprobe().optionsOf(d.module()).isEmpty()) {
                out.add(d.module() + " is built into this kernel: modprobe.d's \"options " + d.module() + " ...\" are "
                        + "never read; give them on the kernel command line (" + d.module().replace('_', '-')
                        + ".ids=...)");
            }
        });
        if (config.cmdline().value("pcie_acs_override") != null) {
            out.add("pcie_acs_override= is an out-of-tree patch (not in mainline Linux): without it the option does "
                    + "nothing and the groups stay as the hardware makes them; with it, devices the hardware does not "
                    + "isolate are split into groups anyway, so a VM can reach the host's DMA through its neighbours");
        }
        return List.copyOf(out);
    }

    /** Devices the configuration means for vfio-pci (its ids=, an override) that another driver bound first. */
    private static void meantForVfioButTaken(Kernel k, BootConfig config, Map<String, BootReport.Binding> bindings,
                                             Kmod kmod, List<String> out) {
        Driver vfio = k.driver(BusType.PCI, "vfio-pci");
        for (Device d : k.devices()) {
            if (!d.isPresent() || d.driver() == null || d.driver().spec().vfio()) {
                continue;
            }
            boolean byIds = vfio != null && vfio.dynIds().stream().anyMatch(id -> id.matches(d.spec()));
            boolean byOverride = "vfio-pci".equals(d.driverOverride())
                    || "vfio-pci".equals(config.driverctl().get(d.id()));
            if (!byIds && !byOverride) {
                continue;
            }
            BootReport.Binding b = bindings.get(d.id());
            BootReport.Stage vfioAt = kmod.loadedAt.get("vfio_pci");
            String host = d.driver().name();
            out.add(d.id() + " is meant for vfio-pci (" + (byIds ? "ids=" : "driver_override") + ") but " + host
                    + " took it first" + (b == null ? "" : ", at " + b.stage().title()) + (vfioAt == null
                    ? "; vfio-pci was never loaded" : "; vfio-pci loaded only at " + vfioAt.title())
                    + ". A driver never takes a device another driver holds. Fix: " + fix(host, b, vfioAt));
        }
        notLoadedAtAll(k.topology(), config, kmod, out);
    }

    /** The fix for a host driver that won: the initramfs first when that is where the host driver loaded. */
    private static String fix(String host, BootReport.Binding b, BootReport.Stage vfioAt) {
        String softdep = "\"softdep " + DriverSpec.moduleName(host) + " pre: vfio-pci\" in /etc/modprobe.d";
        boolean hostInImage = b != null && b.stage().inInitramfs();
        if (hostInImage && (vfioAt == null || !vfioAt.inInitramfs())) {
            return "vfio-pci is not in the initramfs while " + host + " is: put vfio-pci in the image "
                    + "(etc/initramfs-tools/modules, dracut's force_drivers, mkinitcpio's MODULES) with " + softdep
                    + ", and rebuild the initramfs";
        }
        return softdep + " (and rebuild the initramfs), so vfio-pci loads before " + host + " wherever " + host
                + " loads";
    }

    /** ids= written for vfio-pci that no stage of the boot loaded: nothing loads a driver without an ID table. */
    private static void notLoadedAtAll(Topology machine, BootConfig config, Kmod kmod, List<String> out) {
        boolean modular = machine.drivers().stream().anyMatch(d -> d.module().equals("vfio_pci") && !d.builtin());
        if (!modular || kmod.loadedAt.containsKey("vfio_pci")) {
            return;
        }
        boolean idsWritten = config.modprobe().optionsOf("vfio_pci").stream().anyMatch(o -> o.startsWith("ids="))
                || config.cmdline().moduleOptions("vfio_pci").containsKey("ids");
        if (idsWritten) {
            out.add("vfio-pci has ids= but nothing loaded it during this boot: its ID table is empty, so coldplug "
                    + "never loads it for a device. Load it by name: a softdep on the host driver, the initramfs's "
                    + "module list, or /etc/modules-load.d");
        }
    }

    /** vfio-pci's ids= takes every device with that vendor:device: a second identical card, or the host's display. */
    private static void idsCaptureTooMuch(Kernel k, Driver vfio, List<String> out) {
        for (PciDynId id : vfio.dynIds()) {
            List<String> matched = new ArrayList<>();
            for (Device d : k.devices()) {
                if (d.isPresent() && id.matches(d.spec())) {
                    matched.add(d.id());
                }
            }
            if (matched.size() > 1) {
                out.add("ids=" + id + " matches " + matched.size() + " devices (" + String.join(", ", matched)
                        + "): identical cards cannot be told apart by ID. To give only one to the VM, set the "
                        + "driver_override of that one by address instead (plan --output persist --style override)");
            }
        }
        boolean hostDisplay = k.devices().stream().anyMatch(d -> d.isPresent() && d.spec().pciClass() >> 16 == 0x03
                && d.driver() != null && !d.driver().driverManagedDma());
        boolean anyDisplay = k.devices().stream().anyMatch(d -> d.isPresent() && d.spec().pciClass() >> 16 == 0x03);
        if (anyDisplay && !hostDisplay) {
            out.add("no display controller is left to the host: after this boot every GPU is on vfio-pci (or has no "
                    + "driver), so the host has no console");
        }
    }

    /** A group with members on vfio-pci and members on a DMA-API driver cannot go to a VM (not viable). */
    private static void groupsHalfOnVfio(Kernel k, List<String> out) {
        for (IommuGroup g : k.groups()) {
            Set<String> onVfio = new LinkedHashSet<>();
            Set<String> onHost = new LinkedHashSet<>();
            for (Device d : g.devices()) {
                Driver drv = d.driver();
                if (drv != null && drv.spec().vfio()) {
                    onVfio.add(d.id());
                } else if (drv != null && !drv.driverManagedDma()) {
                    onHost.add(d.id() + " on " + drv.name());
                }
            }
            if (!onVfio.isEmpty() && !onHost.isEmpty()) {
                out.add("IOMMU group " + g.id() + " is not viable after this boot: " + String.join(", ", onVfio)
                        + " on vfio-pci but " + String.join(", ", onHost) + "; every member must leave its host driver"
                        + " (add its ID to ids=, or its address to the overrides)");
            }
        }
    }
}
