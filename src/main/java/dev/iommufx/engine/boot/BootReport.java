package dev.iommufx.engine.boot;

import dev.iommufx.engine.Kernel;
import java.util.List;
import java.util.Map;

/**
 * What a simulated boot did (kernel-model §2.7): the machine after it, every module load in order with its stage,
 * which driver each device ended on and what bound it, and the warnings about classic mistakes.
 *
 * @param kernel   the machine after the boot, with no history to undo
 * @param events   every action of the boot, in order
 * @param bindings each bound device's driver, the stage and the rule that bound it, by device id
 * @param warnings the mistakes the boot shows, in plain words
 * @param notes    what the simulation could not follow or assumed
 */
public record BootReport(Kernel kernel, List<Event> events, Map<String, Binding> bindings, List<String> warnings,
                         List<String> notes) {

    /** The stages of a boot, in order. */
    public enum Stage {
        BUILTIN("built-in drivers"), INITRAMFS_EARLY("initramfs, before coldplug"),
        INITRAMFS_COLDPLUG("initramfs coldplug"), INITRAMFS_LATE("initramfs, after coldplug"),
        ROOT_COLDPLUG("coldplug in the real root"), MODULES_LOAD("systemd-modules-load"), DRIVERCTL("driverctl");

        private final String title;

        Stage(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        /** Whether the stage runs from the initramfs, before the real root is mounted. */
        public boolean inInitramfs() {
            return this == INITRAMFS_EARLY || this == INITRAMFS_COLDPLUG || this == INITRAMFS_LATE;
        }
    }

    /** One action: "modprobe vfio_pci ids=..." at a stage, and what the kernel answered. */
    public record Event(Stage stage, String action, String result) {
    }

    /** A device's driver after the boot, the stage it was bound at, and why that driver matched it. */
    public record Binding(String driver, Stage stage, String rule) {
    }
}
