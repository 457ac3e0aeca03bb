package dev.iommufx.io;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a schema cannot check about a topology: unique ids, references to devices, drivers and groups that
 * exist, and a parent chain without cycles. Run before the model is built so that each problem is reported
 * at its place in the file rather than as the model's bare {@link IllegalArgumentException}.
 */
final class TopologyChecks {
    private final List<Parsed<DeviceSpec>> devices;
    private final List<Parsed<DriverSpec>> drivers;
    private final List<Parsed<GroupSpec>> groups;
    private final Map<String, Parsed<DeviceSpec>> devicesById = new LinkedHashMap<>();
    private final Map<BusType, Set<String>> driverNamesByBus = new java.util.EnumMap<>(BusType.class);
    private java.util.Set<Integer> groupIds;

    private TopologyChecks(List<Parsed<DeviceSpec>> devices, List<Parsed<DriverSpec>> drivers,
                           List<Parsed<GroupSpec>> groups) {
        this.devices = devices;
        this.drivers = drivers;
        this.groups = groups;
    }

    static void check(List<Parsed<DeviceSpec>> devices, List<Parsed<DriverSpec>> drivers,
                      List<Parsed<GroupSpec>> groups) throws FormatException {
        TopologyChecks checks = new TopologyChecks(devices, drivers, groups);
        checks.uniqueDevices();
        checks.uniqueDrivers();
        checks.uniqueGroups();
        for (Parsed<DeviceSpec> device : devices) {
            checks.parentExists(device);
            checks.physfnExists(device);
            checks.driverExists(device);
            checks.groupExists(device);
        }
        checks.noCycles();
    }

    private void uniqueDevices() throws FormatException {
        for (Parsed<DeviceSpec> d : devices) {
            Parsed<DeviceSpec> first = devicesById.putIfAbsent(d.value().id(), d);
            if (first != null) {
                throw d.at("id").error("duplicate device id " + Node.quote(d.value().id())
                        + " (already used at " + first.fields().node().path() + "; ids are unique)");
            }
        }
    }

    private void uniqueDrivers() throws FormatException {
        Map<String, Parsed<DriverSpec>> seen = new HashMap<>();
        for (Parsed<DriverSpec> d : drivers) {
            Parsed<DriverSpec> first = seen.putIfAbsent(d.value().bus() + "/" + d.value().name(), d);
            if (first != null) {
                throw d.at("name").error("duplicate driver " + Node.quote(d.value().name()) + " on bus "
                        + d.value().bus().sysfsName() + " (already registered at " + first.fields().node().path()
                        + "; names are unique per bus)");
            }
        }
    }

    private void uniqueGroups() throws FormatException {
        Map<Integer, Parsed<GroupSpec>> seen = new HashMap<>();
        for (Parsed<GroupSpec> g : groups) {
            Parsed<GroupSpec> first = seen.putIfAbsent(g.value().id(), g);
            if (first != null) {
                throw g.at("id").error("duplicate group " + g.value().id() + " (already declared at "
                        + first.fields().node().path() + ")");
            }
        }
    }

    private void physfnExists(Parsed<DeviceSpec> d) throws FormatException {
        String pf = d.value().physfn();
        if (pf != null && (pf.equals(d.value().id()) || !devicesById.containsKey(pf))) {
            throw d.at("physfn").error("unknown physical function " + Node.quote(pf)
                    + " (expected the id of another device in this file)");
        }
    }

    private void parentExists(Parsed<DeviceSpec> d) throws FormatException {
        String parent = d.value().parent();
        if (parent == null) {
            return;
        }
        if (parent.equals(d.value().id())) {
            throw d.at("parent").error("device " + Node.quote(parent) + " names itself as its parent"
                    + " (expected the id of the bridge above it, or null)");
        }
        if (!devicesById.containsKey(parent)) {
            throw d.at("parent").error("unknown device " + Node.quote(parent)
                    + " (expected the id of a device in this file)");
        }
    }

    private void driverExists(Parsed<DeviceSpec> d) throws FormatException {
        String name = d.value().driver();
        BusType bus = d.value().bus();
        if (name == null || driverNames(bus).contains(name)) {
            return;
        }
        String expected = driverNames(bus).isEmpty()
                ? "there is no " + bus.sysfsName() + " driver in \"drivers\""
                : "expected one of the " + bus.sysfsName() + " drivers: " + firstFew(driverNames(bus));
        BusType other = drivers.stream().map(Parsed::value).filter(v -> v.name().equals(name))
                .map(DriverSpec::bus).findFirst().orElse(null);
        String problem = other == null
                ? "unknown driver " + Node.quote(name)
                : "driver " + Node.quote(name) + " is a " + other.sysfsName() + " driver but the device is on bus "
                        + bus.sysfsName();
        throw d.at("driver").error(problem + " (" + expected + ")");
    }

    /** The names of a bus's drivers in file order, collected once: every device is checked against them. */
    private Set<String> driverNames(BusType bus) {
        return driverNamesByBus.computeIfAbsent(bus, b -> drivers.stream().map(Parsed::value)
                .filter(v -> v.bus() == b).map(DriverSpec::name)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
    }

    /** Up to 20 names for a message, then how many more: a file may have thousands. */
    private static String firstFew(java.util.Collection<?> all) {
        String shown = all.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "));
        return all.size() > 20 ? shown + " and " + (all.size() - 20) + " more" : shown;
    }

    /** The declared group numbers, collected once: every device is checked against them. */
    private java.util.Set<Integer> groupIds() {
        if (groupIds == null) {
            groupIds = new java.util.HashSet<>();
            groups.forEach(g -> groupIds.add(g.value().id()));
        }
        return groupIds;
    }

    private void groupExists(Parsed<DeviceSpec> d) throws FormatException {
        Integer group = d.value().group();
        if (group == null) {
            return;
        }
        if (!groupIds().contains(group)) {
            List<Integer> ids = groups.stream().map(g -> g.value().id()).toList();
            String expected = ids.isEmpty() ? "\"groups\" declares none"
                    : "expected a group declared in \"groups\": " + firstFew(ids);
            throw d.at("group").error("unknown group " + group + " (" + expected + ")");
        }
    }

    /** With {@code "iommuEnabled": false} the kernel makes no group for a PCI function: none may name one. */
    static void noPciGroups(List<Parsed<DeviceSpec>> devices) throws FormatException {
        for (Parsed<DeviceSpec> d : devices) {
            if (d.value().group() != null && d.value().bus() == BusType.PCI) {
                throw d.at("group").error("the topology says \"iommuEnabled\": false, so the kernel makes no IOMMU"
                        + " group for a PCI device (expected no \"group\")");
            }
        }
    }

    /**
     * Follows each device's parent chain once, remembering each device's depth. A chain that comes back to a
     * device on it is a cycle, reported at the cycle's first device in file order with the chain from there;
     * a chain deeper than {@link Limits#TREE_DEPTH} is refused where it gets too deep.
     */
    private void noCycles() throws FormatException {
        Map<String, Integer> depth = new HashMap<>();
        for (Parsed<DeviceSpec> start : devices) {
            List<String> chain = new ArrayList<>();
            Map<String, Integer> onChain = new HashMap<>();
            String current = start.value().id();
            while (current != null && !depth.containsKey(current) && !onChain.containsKey(current)) {
                onChain.put(current, chain.size());
                chain.add(current);
                current = devicesById.get(current).value().parent();
            }
            if (current != null && onChain.containsKey(current)) {
                throw cycle(chain.subList(onChain.get(current), chain.size()));
            }
            int below = current == null ? 0 : depth.get(current);
            for (int i = chain.size() - 1; i >= 0; i--) {
                depth.put(chain.get(i), ++below);
                if (below > Limits.TREE_DEPTH) {
                    throw devicesById.get(chain.get(i)).at("parent").error("the device tree is deeper than "
                            + Limits.TREE_DEPTH + " levels here (the limit: each bridge level takes a bus number,"
                            + " and a PCI domain has 256)");
                }
            }
        }
    }

    /** A cycle, told from its member that comes first in the file. */
    private FormatException cycle(List<String> members) {
        List<String> ids = new ArrayList<>(devicesById.keySet());
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            order.put(ids.get(i), i);
        }
        int first = 0;
        for (int i = 1; i < members.size(); i++) {
            if (order.get(members.get(i)) < order.get(members.get(first))) {
                first = i;
            }
        }
        List<String> chain = new ArrayList<>(members.subList(first, members.size()));
        chain.addAll(members.subList(0, first));
        chain.add(chain.get(0));
        if (chain.size() > 12) { // a long cycle is told by its ends
            List<String> ends = new ArrayList<>(chain.subList(0, 5));
            ends.add("... (" + (chain.size() - 10) + " more)");
            ends.addAll(chain.subList(chain.size() - 5, chain.size()));
            chain = ends;
        }
        return devicesById.get(chain.get(0)).at("parent").error("device " + Node.quote(chain.get(0))
                + " is its own ancestor: " + String.join(" -> ", chain)
                + " (the parent chain must end at a device whose parent is null)");
    }
}
