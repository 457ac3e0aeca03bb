package dev.iommufx.doctor;

import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * How a device can be reset. The kernel's own list ({@code reset_method}) is taken as it is. From the configuration
 * space the kernel's probe is repeated as far as a snapshot allows ({@code drivers/pci/pci.c:
 * pci_init_reset_methods()}): FLR and AF FLR and PM as the capabilities show them, and a bus reset
 * ({@code pci_parent_bus_reset()}) when the device sits alone below a bridge and is no bridge itself.
 */
final class Resets {
    private Resets() {
    }

    /** The methods, empty for none, null when not known. */
    static List<String> methods(Topology t, DeviceSpec d, DeviceFacts f) {
        if (f.resetMethods() == null) {
            return null;
        }
        List<String> out = new ArrayList<>(f.resetMethods());
        if (f.resetFrom() == DeviceFacts.ResetSource.CONFIG_SPACE && busResettable(t, d)) {
            out.add("bus");
        }
        return out;
    }

    /** {@code pci_parent_bus_reset()}: not on a root bus, no subordinate bus, the only function on its bus. */
    static boolean busResettable(Topology t, DeviceSpec d) {
        if (d.parent() == null || !t.children(d.id()).isEmpty()) {
            return false;
        }
        return t.children(d.parent()).size() == 1;
    }

    /** The bridge a bus reset goes through, or null. */
    static DeviceSpec bridge(Topology t, DeviceSpec d) {
        return d.parent() == null ? null : t.device(d.parent());
    }

    /** Every device below a bridge (its whole subtree), but the one given: a bus reset resets them all. */
    static List<String> alsoReset(Topology t, DeviceSpec bridge, DeviceSpec except) {
        List<String> out = new ArrayList<>();
        List<DeviceSpec> todo = new ArrayList<>(t.children(bridge.id()));
        while (!todo.isEmpty() && out.size() < 10_000) {
            DeviceSpec c = todo.remove(todo.size() - 1);
            if (!c.id().equals(except.id())) {
                out.add(c.id());
            }
            todo.addAll(t.children(c.id()));
        }
        out.sort(null);
        return out;
    }
}
