package dev.iommufx.boot;

import dev.iommufx.engine.boot.OverrideHook;
import dev.iommufx.model.boot.Initramfs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The boot configuration that makes a passthrough plan survive a reboot (kernel-model §2.7), in the style the user
 * picks: driverctl's saved overrides; modprobe.d's {@code ids=} with a softdep on every host driver the plan takes
 * devices from; the per-address override hook (for identical cards); or {@code vfio-pci.ids=} on the kernel command
 * line with the same softdeps. Every style but driverctl also puts the VFIO modules into the initramfs of the
 * user's generator. The files are named for iommufx, so the way back can find and remove them.
 */
public final class PersistConfig {
    /** The modprobe.d file iommufx writes. */
    public static final String MODPROBE_FILE = "etc/modprobe.d/iommufx-vfio.conf";
    public static final String INITRAMFS_TOOLS_FILE = "etc/initramfs-tools/modules";
    public static final String DRACUT_FILE = "etc/dracut.conf.d/iommufx-vfio.conf";
    public static final String MKINITCPIO_FILE = "etc/mkinitcpio.conf.d/iommufx-vfio.conf";
    public static final String GRUB_FILE = "etc/default/grub.d/iommufx-vfio.cfg";
    /** The lines iommufx adds to a file it shares with the user sit between these two. */
    public static final String BEGIN = "# iommufx: begin (the revert script removes these lines)";
    public static final String END = "# iommufx: end";
    private static final List<String> VFIO_MODULES = List.of("vfio", "vfio_iommu_type1", "vfio_pci");

    /** How the configuration binds the devices at boot. */
    public enum Style {
        DRIVERCTL("driverctl", "driverctl's saved overrides: per address, applied after the host driver bound"),
        MODPROBE("modprobe", "options vfio-pci ids= with a softdep on each host driver, and the initramfs"),
        OVERRIDE("override", "driver_override per address set just before vfio-pci loads (identical cards)"),
        CMDLINE("cmdline", "vfio-pci.ids= on the kernel command line (GRUB), with the softdeps and the initramfs");

        private final String key;
        private final String summary;

        Style(String key, String summary) {
            this.key = key;
            this.summary = summary;
        }

        public String key() {
            return key;
        }

        public String summary() {
            return summary;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /**
     * A device the configuration binds at boot.
     *
     * @param address    its PCI address
     * @param vendor     its vendor ID
     * @param device     its device ID
     * @param hostModule the module of the host driver it has now (a softdep goes on it), or null
     * @param toVfio     true: vfio-pci; false: no driver at all (a bridge or a PF the plan only unbinds)
     */
    public record Target(String address, int vendor, int device, String hostModule, boolean toVfio) {
        String id() {
            return String.format("%04x:%04x", vendor, device);
        }
    }

    /**
     * What to write: whole files iommufx owns, lines to add to a file the user owns (between {@link #BEGIN} and
     * {@link #END}), and the commands that make them take effect.
     */
    public record Proposal(Style style, Initramfs.Generator generator, Map<String, String> files,
                           Map<String, String> appended, Map<String, String> driverctl, List<String> commands) {
        /** Every file as the machine will have it, for a simulated boot (appended lines on their own). */
        public Map<String, String> asFiles() {
            Map<String, String> all = new LinkedHashMap<>(files);
            appended.forEach((path, lines) -> all.put(path, BEGIN + "\n" + lines + END + "\n"));
            driverctl.forEach((address, driver) -> all.put("etc/driverctl.d/pci-" + address, driver + "\n"));
            return all;
        }
    }

    private PersistConfig() {
    }

    public static Proposal of(List<Target> targets, Style style, Initramfs.Generator generator) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> appended = new LinkedHashMap<>();
        Map<String, String> driverctl = new LinkedHashMap<>();
        List<String> commands = new ArrayList<>();
        if (style == Style.DRIVERCTL) {
            targets.forEach(t -> driverctl.put(t.address(), t.toVfio() ? "vfio-pci" : "none"));
            return new Proposal(style, generator, files, appended, driverctl, commands);
        }
        StringBuilder conf = new StringBuilder("# iommufx: vfio-pci binds ");
        conf.append(String.join(" ", targets.stream().map(Target::address).toList()))
                .append(" at boot (the revert script removes this file)\n");
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(targets.stream().filter(Target::toVfio)
                .map(Target::id).toList()));
        if (style == Style.MODPROBE) {
            conf.append("options vfio-pci ids=").append(String.join(",", ids)).append('\n');
        } else if (style == Style.OVERRIDE) {
            List<String> addresses = targets.stream().filter(Target::toVfio).map(Target::address).toList();
            conf.append("install vfio_pci ").append(OverrideHook.command(addresses, "vfio-pci", "vfio_pci"))
                    .append('\n');
        } else {
            files.put(GRUB_FILE, "# iommufx: vfio-pci's IDs on the kernel command line (the revert script removes "
                    + "this file)\nGRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT vfio-pci.ids="
                    + String.join(",", ids) + "\"\n");
            commands.add("update-grub || grub-mkconfig -o /boot/grub/grub.cfg");
        }
        Set<String> hosts = new LinkedHashSet<>();
        targets.stream().filter(t -> t.hostModule() != null).forEach(t -> hosts.add(t.hostModule()));
        hosts.forEach(h -> conf.append("softdep ").append(h).append(" pre: vfio-pci\n"));
        files.put(MODPROBE_FILE, conf.toString());
        initramfs(generator, files, appended, commands);
        return new Proposal(style, generator, files, appended, driverctl, commands);
    }

    /** The VFIO modules into the image, and the command that rebuilds it. */
    private static void initramfs(Initramfs.Generator generator, Map<String, String> files,
                                  Map<String, String> appended, List<String> commands) {
        switch (generator) {
            case DRACUT -> {
                files.put(DRACUT_FILE, "# iommufx: the VFIO modules load before udev's coldplug\nforce_drivers+=\" "
                        + String.join(" ", VFIO_MODULES) + " \"\n");
                commands.add("dracut --force --regenerate-all");
            }
            case MKINITCPIO -> {
                files.put(MKINITCPIO_FILE, "# iommufx: the VFIO modules load before udev's coldplug\nMODULES+=("
                        + String.join(" ", VFIO_MODULES) + ")\n");
                commands.add("mkinitcpio -P");
            }
            case INITRAMFS_TOOLS, NONE -> {
                appended.put(INITRAMFS_TOOLS_FILE, String.join("\n", VFIO_MODULES) + "\n");
                commands.add("update-initramfs -u -k all");
            }
        }
    }
}
