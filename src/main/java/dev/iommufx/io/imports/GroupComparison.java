package dev.iommufx.io.imports;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the IOMMU groups a source states with those the engine derives from the same machine with the
 * group numbers removed ({@code pci_device_group()} in enumeration order, kernel-semantics §6). Equal
 * membership means the imported tree, PCIe types and ACS registers explain the kernel's grouping; a
 * difference points at what the source lacks (listings have no PCIe capabilities or ACS, so the engine sees
 * conventional PCI everywhere) or at a quirk the model does not know.
 */
public final class GroupComparison {
    private GroupComparison() {
    }

    /** The same machine without group numbers. */
    public static Topology withoutGroups(Topology t) {
        List<DeviceSpec> devices = t.devices().stream().map(d -> d.withGroup(null)).toList();
        return new Topology(t.name(), t.description(), t.defaultDomainType(), devices, t.drivers(), List.of());
    }

    /** The groups after boot as sets of device ids, ordered by their smallest member. */
    public static List<Set<String>> membership(Topology t) {
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

    /**
     * One line per stated group that the engine derives differently, e.g.
     * {@code stated {0000:00:02.0} derived {0000:00:02.0, 0000:01:00.0}}; empty when they agree.
     */
    public static List<String> differences(Topology t) {
        List<Set<String>> stated = membership(t);
        List<Set<String>> derived = membership(withoutGroups(t));
        List<String> out = new ArrayList<>();
        for (Set<String> s : stated) {
            if (derived.contains(s)) {
                continue;
            }
            Set<Set<String>> overlapping = new LinkedHashSet<>();
            for (Set<String> d : derived) {
                if (d.stream().anyMatch(s::contains)) {
                    overlapping.add(d);
                }
            }
            out.add("stated " + braces(s) + " derived " + String.join(" + ", overlapping.stream()
                    .map(GroupComparison::braces).toList()));
        }
        return out;
    }

    private static String braces(Set<String> s) {
        return "{" + String.join(", ", s) + "}";
    }
}
