package dev.iommufx.engine;

import dev.iommufx.engine.pci.PciDeviceGroup;
import dev.iommufx.model.Acs;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PciQuirks;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the groups of a machine would change: with ACS enabled on some ports, with the out-of-tree
 * {@code pcie_acs_override=downstream,multifunction} boot option, or with the grouping the PCIe specification
 * calls for (kernel-model §6.4 note: Jason Gunthorpe's "Fix incorrect iommu_groups with PCIe ACS", 2025,
 * not merged in 6.1 nor in the newest kernel read). Each produces a new topology whose groups are derived.
 */
public final class WhatIf {
    private WhatIf() {
    }

    /** The options; any combination. */
    public record Options(Set<String> enableAcsOn, boolean overrideDownstream, boolean overrideMultifunction,
                          boolean specCorrect) {
        public static final Options NONE = new Options(Set.of(), false, false, false);
    }

    /** The machine with the options applied and its groups derived by {@code pci_device_group()}. */
    public static Topology apply(Topology t, Options o) {
        List<DeviceSpec> devices = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            // grouped as the kernel's pci_device_group() would, also for firmware-described functions
            devices.add(change(d, o).withGroup(null).withoutLateGroup());
        }
        Topology derived = new Topology(t.name(), t.description(), t.defaultDomainType(), t.iommuDetach(), devices,
                t.drivers(), List.of());
        return o.specCorrect() ? specCorrect(derived) : numbered(derived, Kernel.boot(derived));
    }

    /** The groups the kernel would derive for the machine, ignoring the ones it states. */
    public static Topology derived(Topology t) {
        return apply(t, Options.NONE);
    }

    private static DeviceSpec change(DeviceSpec d, Options o) {
        PcieType type = d.pcieType();
        if (o.enableAcsOn().contains(d.id())) {
            Acs acs = d.acs() == null ? new Acs(Acs.REQ_ACS_FLAGS, Acs.REQ_ACS_FLAGS)
                    : new Acs(d.acs().cap() | Acs.REQ_ACS_FLAGS, d.acs().ctrl() | Acs.REQ_ACS_FLAGS);
            return d.withAcs(acs);
        }
        boolean port = type == PcieType.DOWNSTREAM_PORT || type == PcieType.ROOT_PORT;
        boolean multifunctionEndpoint = type != null && !type.isPort() && d.multifunction();
        // the out-of-tree patch answers "isolated" from pci_dev_specific_acs_enabled() for these devices
        if ((o.overrideDownstream() && port) || (o.overrideMultifunction() && (multifunctionEndpoint
                || (type != null && !type.isPort() && d.bdf() != null && d.bdf().function() > 0)))) {
            PciQuirks q = d.quirks();
            return withQuirks(d, new PciQuirks(true, q.dmaAliases(), q.pcieBridgeAlias(), q.xlateRoot()));
        }
        return d;
    }

    /**
     * ACS is egress control only: devices below the downstream ports of one switch that lack ACS can reach each
     * other, and so can the functions of one slot if any of them lacks ACS. Merges those groups.
     */
    private static Topology specCorrect(Topology derived) {
        Kernel k = Kernel.boot(derived);
        Map<Integer, Integer> merge = new HashMap<>();
        for (Device d : k.devices()) {
            List<Device> peers = new ArrayList<>();
            for (Device c : d.children()) {
                boolean dsp = c.spec().pcieType() == PcieType.DOWNSTREAM_PORT;
                if (dsp && !PciDeviceGroup.acsEnabled(c)) {
                    peers.add(c);
                }
            }
            join(peers, merge);
        }
        Map<String, List<Device>> slots = new LinkedHashMap<>();
        for (Device d : k.devices()) {
            if (d.bdf() != null && d.group() != null && !d.spec().isVirtfn()) {
                String slot = (d.parent() == null ? "" : d.parent().id()) + "/" + d.bdf().busKey() + "/"
                        + d.bdf().slot();
                slots.computeIfAbsent(slot, s -> new ArrayList<>()).add(d);
            }
        }
        for (List<Device> fns : slots.values()) {
            if (fns.size() > 1 && fns.stream().anyMatch(f -> !PciDeviceGroup.acsEnabled(f))) {
                join(fns, merge);
            }
        }
        return numbered(derived, k, merge);
    }

    private static void join(List<Device> devices, Map<Integer, Integer> merge) {
        if (devices.size() < 2) {
            return;
        }
        int into = root(devices.get(0).group().id(), merge);
        for (Device d : devices) {
            int g = root(d.group().id(), merge);
            if (g != into) {
                merge.put(Math.max(g, into), Math.min(g, into));
                into = Math.min(g, into);
            }
        }
    }

    private static int root(int g, Map<Integer, Integer> merge) {
        while (merge.containsKey(g)) {
            g = merge.get(g);
        }
        return g;
    }

    private static Topology numbered(Topology t, Kernel k) {
        return numbered(t, k, Map.of());
    }

    /** The topology with every device's group written in, merged groups numbered by their lowest member group. */
    private static Topology numbered(Topology t, Kernel k, Map<Integer, Integer> merge) {
        List<DeviceSpec> devices = new ArrayList<>();
        TreeSet<Integer> ids = new TreeSet<>();
        for (DeviceSpec d : t.devices()) {
            Device dev = k.device(d.id());
            Integer g = dev.group() == null ? null : root(dev.group().id(), merge);
            if (g != null) {
                ids.add(g);
            }
            devices.add(d.withGroup(g));
        }
        List<GroupSpec> groups = ids.stream().map(id -> new GroupSpec(id, k.group(id) != null
                ? k.group(id).defaultDomain() == null ? null : k.group(id).defaultDomain().type()
                : t.defaultDomainType())).toList();
        return new Topology(t.name(), t.description(), t.defaultDomainType(), t.iommuDetach(), devices, t.drivers(),
                groups);
    }

    /** Every way the grouping of {@code after} differs from {@code before}, in words ("no change" if none). */
    public static List<String> differences(Topology before, Topology after) {
        Map<Set<String>, Integer> was = groupsOf(before);
        Map<Set<String>, Integer> now = groupsOf(after);
        List<String> out = new ArrayList<>();
        was.forEach((members, id) -> {
            if (!now.containsKey(members)) {
                out.add("group " + id + " " + members + " is no longer a group: " + whereNow(members, after));
            }
        });
        now.forEach((members, id) -> {
            if (!was.containsKey(members)) {
                out.add("new group " + id + " " + members);
            }
        });
        return out.isEmpty() ? List.of("no change: the groups are the same") : out;
    }

    private static String whereNow(Set<String> members, Topology after) {
        Map<Integer, List<String>> by = new TreeMap<>();
        for (String m : members) {
            Integer g = after.device(m) == null ? null : after.device(m).group();
            by.computeIfAbsent(g == null ? -1 : g, x -> new ArrayList<>()).add(m);
        }
        if (by.size() == 1 && !by.containsKey(-1)) {
            int g = by.keySet().iterator().next();
            List<String> joined = new ArrayList<>();
            for (DeviceSpec d : after.devices()) {
                if (Objects.equals(d.group(), g) && !members.contains(d.id())) {
                    joined.add(d.id());
                }
            }
            return "merged into group " + g + " with " + joined;
        }
        List<String> parts = new ArrayList<>();
        by.forEach((g, ms) -> parts.add(ms + (g < 0 ? " have no group" : " in group " + g)));
        return "split: " + String.join("; ", parts);
    }

    private static Map<Set<String>, Integer> groupsOf(Topology t) {
        Map<Integer, Set<String>> byId = new TreeMap<>();
        for (DeviceSpec d : t.devices()) {
            if (d.group() != null) {
                byId.computeIfAbsent(d.group(), g -> new TreeSet<>()).add(d.id());
            }
        }
        Map<Set<String>, Integer> out = new LinkedHashMap<>();
        byId.forEach((id, members) -> out.put(members, id));
        return out;
    }

    private static DeviceSpec withQuirks(DeviceSpec d, PciQuirks q) {
        return new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(), d.device(), d.pciClass(), d.compatible(),
                d.name(), d.driver(), d.group(), d.multifunction(), d.pcieType(), d.acs(), d.driverOverride(),
                d.requiredDomain(), q, d.physfn(), d.groupAtDmaConfigure());
    }
}
