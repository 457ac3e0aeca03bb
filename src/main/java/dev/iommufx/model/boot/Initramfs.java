package dev.iommufx.model.boot;

import java.util.List;

/**
 * What the machine's initramfs holds and when it loads what (kernel-model §2.7): which generator made it, the
 * modules it loads before udev's coldplug (dracut's {@code force_drivers}, mkinitcpio's {@code MODULES}) and after
 * it (initramfs-tools' {@code /etc/initramfs-tools/modules}), the modules it only includes (dracut's
 * {@code add_drivers}), whether it carries the display drivers (dracut's drm module, mkinitcpio's {@code kms} hook,
 * initramfs-tools with {@code FRAMEBUFFER=y}), and whether it carries {@code /etc/modprobe.d} (initramfs-tools
 * always; dracut only in host-only mode; mkinitcpio with the {@code modconf} hook).
 *
 * @param generator        the tool that made the image, or {@link Generator#NONE} for no initramfs
 * @param beforeColdplug   modules loaded before coldplug, in order, each with its options
 * @param afterColdplug    modules loaded after coldplug, in order, each with its options
 * @param included         further modules the image holds without loading them
 * @param displayDrivers   the image holds the drivers of the machine's display controllers
 * @param withModprobeConf the image carries the machine's {@code /etc/modprobe.d}
 */
public record Initramfs(Generator generator, List<Load> beforeColdplug, List<Load> afterColdplug,
                        List<String> included, boolean displayDrivers, boolean withModprobeConf) {
    /** The tools that make initramfs images. */
    public enum Generator {
        NONE("no initramfs"), INITRAMFS_TOOLS("initramfs-tools"), DRACUT("dracut"), MKINITCPIO("mkinitcpio");

        private final String title;

        Generator(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** One module a list loads, with the options written beside it. */
    public record Load(String module, List<String> options) {
    }

    public static final Initramfs NONE = new Initramfs(Generator.NONE, List.of(), List.of(), List.of(), false, false);

    /** Whether the image holds a module (listed in it, or pulled in by a listed module's softdeps: see the boot). */
    public boolean lists(String module) {
        return included.contains(module) || beforeColdplug.stream().anyMatch(l -> l.module().equals(module))
                || afterColdplug.stream().anyMatch(l -> l.module().equals(module));
    }
}
