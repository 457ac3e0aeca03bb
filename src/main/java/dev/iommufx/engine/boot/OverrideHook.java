package dev.iommufx.engine.boot;

import dev.iommufx.engine.Kernel;
import java.util.ArrayList;
import java.util.List;

/**
 * iommufx's own modprobe.d {@code install} hook, the per-address alternative to {@code ids=} (the "persist" output
 * writes it): before the module loads it sets the {@code driver_override} of the listed devices, so that only those
 * go to the driver, however many identical devices the machine has. It is the one {@code install} command the boot
 * simulation follows, and only in exactly the form iommufx writes:
 * {@code for d in ADDRESS...; do echo DRIVER > /sys/bus/pci/devices/$d/driver_override; done; modprobe -i MODULE}.
 */
public final class OverrideHook {
    static final String PREFIX = "for d in ";
    static final String LOOP = "; do echo ";
    static final String TARGET = " > /sys/bus/pci/devices/$d/driver_override; done; modprobe -i ";

    private OverrideHook() {
    }

    /** The command for the given devices and driver, for the module. */
    public static String command(List<String> devices, String driver, String module) {
        return PREFIX + String.join(" ", devices) + LOOP + driver + TARGET + module;
    }

    /** Sets the overrides the command names and returns true; false when the command is not iommufx's hook. */
    static boolean apply(String command, String module, Kernel k, BootReport.Stage stage, Kmod.Recorder recorder) {
        String c = command.strip();
        int loop = c.indexOf(LOOP);
        int target = c.indexOf(TARGET);
        if (!c.startsWith(PREFIX) || loop < 0 || target < loop || !c.endsWith(TARGET + module)) {
            return false;
        }
        List<String> devices = new ArrayList<>(List.of(c.substring(PREFIX.length(), loop).strip().split(" +")));
        String driver = c.substring(loop + LOOP.length(), target).strip();
        for (String dev : devices) {
            recorder.record(stage, "install hook: driver_override " + dev + " = " + driver,
                    k.driverOverride(dev, driver));
        }
        return true;
    }
}
