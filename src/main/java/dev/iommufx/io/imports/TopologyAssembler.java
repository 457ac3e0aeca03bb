package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects what the sources say about each PCI function, then checks it and builds the {@link Topology}:
 * parents and physical functions that are not in the source are dropped (a root bus, no PF), cycles are cut,
 * function 0 of a slot with other functions is multifunction (as {@code pci_scan_slot()} requires) unless the
 * source said otherwise, groups are declared with their default-domain types, and every driver seen becomes a
 * {@code DriverSpec} ({@link DriverCatalog}). Everything dropped or assumed becomes an {@link ImportNote}.
 */
final class TopologyAssembler {
    private final String source;
    private final Map<Bdf, DeviceDraft> devices = new TreeMap<>();
    /** Group members on other buses, by sysfs name. */
    private final Map<String, DeviceDraft> others = new TreeMap<>();
    private final List<ImportNote> notes = new ArrayList<>();
    private final FactsDraft facts = new FactsDraft();
    private boolean iommuOff;
    private final Map<Integer, String> groupTypes = new HashMap<>();
    private final Set<String> registeredDrivers = new LinkedHashSet<>();

    TopologyAssembler(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** The draft for a function, created on first mention; refused past {@link Limits#DEVICES}. */
    DeviceDraft device(Bdf bdf, String where) throws ImportException {
        DeviceDraft d = devices.get(bdf);
        if (d == null) {
            if (devices.size() >= Limits.DEVICES) {
                throw new ImportException(where, "more than " + Limits.count(Limits.DEVICES)
                        + " PCI functions (the limit)", notes, null);
            }
            d = new DeviceDraft(bdf, where);
            devices.put(bdf, d);
        }
        return d;
    }

    DeviceDraft existing(Bdf bdf) {
        return devices.get(bdf);
    }

    /**
     * The draft for a group member on another bus ({@code ff8f0000.vop}, {@code Fixed MDIO bus.0}), created on
     * first mention; refused past {@link Limits#DEVICES} devices in all.
     */
    DeviceDraft other(String name, BusType bus, String where) throws ImportException {
        DeviceDraft d = others.get(name);
        if (d == null) {
            if (devices.size() + others.size() >= Limits.DEVICES) {
                throw new ImportException(where, "more than " + Limits.count(Limits.DEVICES)
                        + " devices (the limit)", notes, null);
            }
            d = new DeviceDraft(name, bus, where);
            others.put(name, d);
        }
        return d;
    }

    /** The PCI functions so far, in address order. */
    java.util.Collection<DeviceDraft> pciDevices() {
        return java.util.Collections.unmodifiableCollection(devices.values());
    }

    /** Forgets a device (the source says it is gone). */
    void drop(DeviceDraft d) {
        if (d.bdf != null) {
            devices.remove(d.bdf);
        } else {
            others.remove(d.name);
        }
    }

    /** The facts collected beside the machine. */
    FactsDraft facts() {
        return facts;
    }

    /** The source shows the IOMMU off (a whole sysfs view without groups): the kernel grouped nothing. */
    void iommuOff() {
        iommuOff = true;
    }

    /**
     * A source states the device's driver: its name, or null for "no driver". The first statement stays; a
     * different later one is noted.
     */
    void stateDriver(DeviceDraft d, String driver, String where) {
        if (!d.driverStated) {
            d.driver = driver;
            d.driverStated = true;
        } else if (!Objects.equals(d.driver, driver)) {
            note(where, d.id() + ": " + (driver == null ? "no driver" : "driver " + driver) + " conflicts with "
                    + (d.driver == null ? "no driver" : d.driver) + " stated earlier; kept "
                    + (d.driver == null ? "no driver" : d.driver));
        }
    }

    void note(String where, String what) {
        ImportNote.add(notes, new ImportNote(where, what));
    }

    List<ImportNote> notes() {
        return notes;
    }

    /**
     * Merges a value from a source into a field: the first value stays, a different later one is noted.
     *
     * @return the value the field keeps
     */
    <T> T merge(DeviceDraft d, T current, T incoming, String field, String where) {
        if (incoming == null) {
            return current;
        }
        if (current != null && !current.equals(incoming)) {
            note(where, d.id() + ": " + field + " " + show(incoming) + " conflicts with " + show(current)
                    + " stated earlier; kept " + show(current));
            return current;
        }
        return incoming;
    }

    /** A class code: one without prog-if (a listing's {@code [cccc]}) agrees with one that has it. */
    Integer mergeClass(DeviceDraft d, Integer incoming, String where) {
        Integer current = d.pciClass;
        if (current != null && incoming != null && current >> 8 == incoming >> 8) {
            return Math.max(current, incoming);
        }
        if (current != null && incoming != null) {
            note(where, d.id() + String.format(": class %06x conflicts with %06x stated earlier; kept %06x",
                    incoming, current, current));
            return current;
        }
        return current != null ? current : incoming;
    }

    private static String show(Object v) {
        return v instanceof Integer i && i > 0xff ? String.format("%04x", i) : String.valueOf(v);
    }

    /** The sysfs {@code type} of a group ("DMA-FQ", "identity", "unknown" for no default domain...). */
    void groupType(int group, String type) {
        groupTypes.put(group, type);
    }

    void registeredDriver(String name) {
        registeredDrivers.add(name);
    }

    /**
     * Checks the drafts and builds the result.
     *
     * @param defaultType the topology's default-domain type, also the type of groups the source gave no type
     * @throws ImportException when there is no PCI function at all
     */
    ImportResult build(String name, String description, DomainType defaultType) throws ImportException {
        if (devices.isEmpty() && others.isEmpty()) {
            if (!facts.saysSomethingOfTheIommu()) {
                throw new ImportException(source, "no PCI devices found (nor any other member of an IOMMU group)",
                        notes, null);
            }
            // dmesg | grep -i -e DMAR -e IOMMU, or cat /proc/cmdline: what forums ask first ("is my IOMMU on?")
            note(source, "the source lists no device, only what its kernel log and command line say of the IOMMU:"
                    + " iommufx doctor (the Readiness tab) answers from them; paste a group listing for the machine");
        }
        dropUnknownReferences();
        cutCyclesAndCheckDepth();
        withoutNul();
        inferMultifunction();
        String offBy = facts.turnsIommuOff();
        if (!iommuOff && offBy != null && devices.values().stream().noneMatch(d -> d.group != null)) {
            // a listing without groups from a machine booted with the IOMMU off: the kernel grouped nothing
            note(source, "the kernel command line has " + offBy + " and the source lists no group: taken as the"
                    + " IOMMU off");
            iommuOff = true;
        }
        if (iommuOff) {
            withoutGroups();
        }
        numberUnnumberedGroups();
        List<GroupSpec> groups = declareGroups(defaultType);
        int grouped = (int) devices.values().stream().filter(d -> d.group != null).count();
        if (!groups.isEmpty()) {
            facts.iommuGroups(true); // the kernel listed groups: it has them
        }
        noteGroupsLeftToTheEngine(grouped);
        List<DeviceDraft> all = new ArrayList<>(devices.values());
        all.addAll(others.values());
        noteUnknownDrivers(all);
        try {
            List<DeviceSpec> specs = new ArrayList<>();
            for (DeviceDraft d : all) {
                int cls = d.pciClass != null ? d.pciClass : d.bridge ? 0x060400 : 0;
                String driver = d.driverStated ? d.driver : DriverSpec.UNKNOWN;
                specs.add(new DeviceSpec(d.id(), d.bus, d.parent, orZero(d.vendor), orZero(d.device), cls, null,
                        d.label, driver, d.group, Boolean.TRUE.equals(d.multifunction), d.pcieType, d.acs,
                        d.driverOverride, null, null, d.physfn, false, d.sriov));
            }
            Set<String> ids = new HashSet<>();
            all.forEach(d -> ids.add(d.id()));
            Topology t = new Topology(name, description, defaultType, DomainType.PLATFORM, specs,
                    DriverCatalog.build(registeredDrivers, all), groups, !iommuOff, facts.build(ids));
            return new ImportResult(t, notes, grouped == devices.size() && !iommuOff);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source, "the imported machine is inconsistent: " + e.getMessage(), notes, e);
        }
    }

    /** With the IOMMU off no PCI function is in a group, whatever a stray link says. */
    private void withoutGroups() {
        for (DeviceDraft d : devices.values()) {
            if (d.group != null) {
                note(d.where, d.id() + ": a group link, but no IOMMU group exists; ignored");
                d.group = null;
            }
        }
    }

    private void noteGroupsLeftToTheEngine(int grouped) {
        if (iommuOff) {
            note(source, "the IOMMU is off: the kernel put no device in an IOMMU group, so VFIO can take none");
        } else if (grouped == 0 && !devices.isEmpty()) {
            note(source, "the source states no IOMMU groups: the engine derives them with pci_device_group()");
        } else {
            for (DeviceDraft d : devices.values()) {
                if (d.group == null) {
                    note(d.where, d.id() + " has no IOMMU group in the source: the engine derives one");
                }
            }
        }
    }

    /** One note for the devices whose driver the source does not state (they get the unknown driver). */
    private void noteUnknownDrivers(List<DeviceDraft> all) {
        long unknown = all.stream().filter(d -> !d.driverStated).count();
        if (unknown > 0) {
            note(source, (unknown == all.size() ? "the source states no drivers" : "the source does not state the"
                    + " driver of " + unknown + " device" + (unknown == 1 ? "" : "s")) + ": shown as \"driver unknown\";"
                    + " a plan treats such a device as bound to a DMA-API driver, which must leave");
        }
    }

    /**
     * Groups the source names only as "the group of a device": numbered from the lowest number no stated group
     * uses, in the order of their keys.
     */
    private void numberUnnumberedGroups() {
        Set<Integer> used = new HashSet<>();
        List<DeviceDraft> all = new ArrayList<>(devices.values());
        all.addAll(others.values());
        all.stream().map(d -> d.group).filter(Objects::nonNull).forEach(used::add);
        Map<String, Integer> numbers = new TreeMap<>();
        for (DeviceDraft d : all) {
            if (d.group == null && d.unnumberedGroup != null) {
                numbers.putIfAbsent(d.unnumberedGroup, -1);
            }
        }
        int next = 0;
        for (Map.Entry<String, Integer> e : numbers.entrySet()) {
            while (used.contains(next)) {
                next++;
            }
            e.setValue(next);
            used.add(next);
            note(source, "the source does not give the number of the IOMMU group " + e.getKey() + "; it is numbered "
                    + next + " here (a script checks the real number before it acts)");
        }
        for (DeviceDraft d : all) {
            if (d.group == null && d.unnumberedGroup != null) {
                d.group = numbers.get(d.unnumberedGroup);
            }
        }
    }

    /**
     * A NUL in a name or driver (raw bytes pasted into a listing) becomes U+FFFD: no shell word or sysfs path
     * can hold a NUL, and the topology reader refuses one.
     */
    private void withoutNul() {
        for (DeviceDraft d : devices.values()) {
            d.label = d.label == null ? null : d.label.replace('\0', '\uFFFD');
            d.driver = d.driver == null ? null : d.driver.replace('\0', '\uFFFD');
            d.driverOverride = d.driverOverride == null ? null : d.driverOverride.replace('\0', '\uFFFD');
        }
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private void dropUnknownReferences() {
        for (DeviceDraft d : devices.values()) {
            if (d.parent != null) {
                Bdf p = Bdf.parseOrNull(d.parent);
                if (p == null || !devices.containsKey(p) || p.equals(d.bdf)) {
                    note(d.where, d.id() + ": parent " + d.parent + " is not in the source; placed on a root bus");
                    d.parent = null;
                } else {
                    d.parent = p.toString();
                }
            }
            if (d.physfn != null) {
                Bdf p = Bdf.parseOrNull(d.physfn);
                if (p == null || !devices.containsKey(p) || p.equals(d.bdf)) {
                    note(d.where, d.id() + ": physical function " + d.physfn + " is not in the source; ignored");
                    d.physfn = null;
                } else {
                    d.physfn = p.toString();
                }
            }
        }
    }

    /**
     * A malformed source could make a device its own ancestor, which the Topology would refuse: the link that
     * closes a cycle is dropped. A tree deeper than {@link Limits#TREE_DEPTH} cannot be a PCI tree (each bridge
     * level takes one of a domain's 256 bus numbers) and is refused. Each device's chain is walked once.
     */
    private void cutCyclesAndCheckDepth() throws ImportException {
        Map<DeviceDraft, Integer> depth = new HashMap<>();
        for (DeviceDraft start : devices.values()) {
            List<DeviceDraft> chain = new ArrayList<>();
            Set<DeviceDraft> onChain = new HashSet<>();
            DeviceDraft p = start;
            while (p != null && !depth.containsKey(p) && onChain.add(p)) {
                chain.add(p);
                p = p.parent == null ? null : devices.get(Bdf.parse(p.parent));
            }
            if (p != null && !depth.containsKey(p)) { // back on the chain: cut the link that closes the cycle
                DeviceDraft last = chain.get(chain.size() - 1);
                note(last.where, last.id() + " is its own ancestor in the source; its parent link is dropped");
                last.parent = null;
                p = null;
            }
            int below = p == null ? 0 : depth.get(p);
            for (int i = chain.size() - 1; i >= 0; i--) {
                depth.put(chain.get(i), ++below);
                if (below > Limits.TREE_DEPTH) {
                    DeviceDraft deep = chain.get(i);
                    throw new ImportException(deep.where, deep.id() + " is more than " + Limits.TREE_DEPTH
                            + " levels below its root bus (the limit: each bridge level takes one of the 256 bus"
                            + " numbers of a PCI domain)", notes, null);
                }
            }
        }
    }

    private void inferMultifunction() {
        Map<String, Integer> functionsPerSlot = new HashMap<>();
        for (DeviceDraft d : devices.values()) {
            functionsPerSlot.merge(slotKey(d.bdf), 1, Integer::sum);
        }
        for (DeviceDraft d : devices.values()) {
            if (d.multifunction == null) {
                d.multifunction = d.bdf.function() == 0 && functionsPerSlot.get(slotKey(d.bdf)) > 1;
            }
        }
    }

    private static String slotKey(Bdf b) {
        return b.domain() + ":" + b.bus() + ":" + b.slot();
    }

    private List<GroupSpec> declareGroups(DomainType defaultType) {
        TreeSet<Integer> ids = new TreeSet<>();
        devices.values().stream().map(d -> d.group).filter(Objects::nonNull).forEach(ids::add);
        others.values().stream().map(d -> d.group).filter(Objects::nonNull).forEach(ids::add);
        List<GroupSpec> out = new ArrayList<>();
        for (int id : ids) {
            out.add(new GroupSpec(id, domainOf(id, groupTypes.get(id), defaultType)));
        }
        return out;
    }

    private DomainType domainOf(int id, String type, DomainType defaultType) {
        if (type == null) {
            return defaultType;
        }
        if (type.equals("unknown")) {
            return null; // an IOMMU driver without default domains (kernel-model §9 S7)
        }
        DomainType t = DomainType.fromSysfsName(type);
        if (t == null || !t.canBeDefault()) {
            note(source, "group " + id + ": type \"" + type + "\" is not a default-domain type; used "
                    + defaultType.sysfsName());
            return defaultType;
        }
        return t;
    }

    /** The most common default-domain type among the given sysfs types, or DMA-FQ. */
    static DomainType commonType(Iterable<String> types) {
        Map<DomainType, Integer> count = new TreeMap<>();
        for (String s : types) {
            DomainType t = s == null ? null : DomainType.fromSysfsName(s);
            if (t != null && t.canBeDefault()) {
                count.merge(t, 1, Integer::sum);
            }
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(DomainType.DMA_FQ);
    }
}
