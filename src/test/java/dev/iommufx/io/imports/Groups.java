package dev.iommufx.io.imports;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The importers' tests compare groups by membership: which devices share a group, whatever its number. */
final class Groups {
    private Groups() {
    }

    /** The groups after boot as sets of device ids, ordered by their smallest member. */
    static List<Set<String>> membership(Topology t) {
        Kernel k = Kernel.boot(t);
        List<Set<String>> out = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            if (!g.devices().isEmpty()) {
                out.add(new TreeSet<>(g.devices().stream().map(Device::id).toList()));
            }
        }
        out.sort(Comparator.comparing(s -> s.iterator().next()));
        return out;
    }
}
