package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the kernel's subsystems share about one machine: its devices, drivers, IOMMU groups and open files, the
 * rules of its kernel version, and the domains the IOMMU core hands out. Every subsystem reads it; only the
 * {@link StateWriter} changes it (and {@link Boot}, which builds it). It knows nothing of operations in progress:
 * that is the operation's trace.
 */
public final class KernelState {
    private final Topology topology;
    /** The kernel version whose rules apply. */
    private final Profile profile;
    final Map<String, Device> devices = new LinkedHashMap<>();
    /** The drivers in registration order (the order autoprobe tries them in). */
    final List<Driver> drivers = new ArrayList<>();
    /** The same drivers by bus and name: a bind looks its driver up without building a key. */
    final Map<BusType, Map<String, Driver>> driversByBus = new EnumMap<>(BusType.class);
    /**
     * Every driver module the machine has, by module name, with the drivers each registers when it loads (in
     * registration order): loaded or not, built in or not (kernel-model §2.6).
     */
    final Map<String, List<Driver>> modules = new LinkedHashMap<>();
    /** The modules loaded now, built-in ones included. */
    final Set<String> loadedModules = new HashSet<>();
    /** The options each loaded module was loaded with ({@code name=value}), by module. */
    final Map<String, Map<String, String>> moduleOptions = new HashMap<>();
    final Map<Integer, IommuGroup> groups = new TreeMap<>();
    final Map<String, Handle> handles = new LinkedHashMap<>();
    private final Map<String, Domain> privateDomains = new LinkedHashMap<>();
    /** PCI functions on root buses (no bridge above), by domain and bus number. */
    final Map<Long, List<Device>> rootBuses = new HashMap<>();
    private final DomainType defaultDomainType;
    /** False when the topology's groups have no default domains: its IOMMU driver cannot allocate them (6.1). */
    private final boolean iommuHasDefaultDomains;
    /** Group numbers the firmware will give late-grouped devices; not handed out to other groups meanwhile. */
    final Set<Integer> lateGroupIds = new HashSet<>();
    /** newest: the IOMMU driver's static {@code ops->blocked_domain} and {@code ops->identity_domain}. */
    private final Domain staticBlockedDomain;
    private final Domain staticIdentityDomain;
    private int nextDomainId = 1;
    /** The read-only views handed out: made once, so that reading the state allocates nothing. */
    private final Collection<Device> devicesView = Collections.unmodifiableCollection(devices.values());
    private final List<Driver> driversView = Collections.unmodifiableList(drivers);
    private final Collection<IommuGroup> groupsView = Collections.unmodifiableCollection(groups.values());
    private final Map<String, Handle> handlesView = Collections.unmodifiableMap(handles);

    KernelState(Topology topology, Profile profile) {
        this.topology = topology;
        this.profile = profile;
        this.defaultDomainType = topology.defaultDomainType();
        this.iommuHasDefaultDomains = topology.groups().stream().allMatch(g -> g.defaultDomain() != null);
        boolean statics = profile.has(ProfileRule.STATIC_DOMAINS);
        this.staticBlockedDomain = statics ? newDomain(DomainType.BLOCKED, "the IOMMU driver's static blocked domain")
                : null;
        this.staticIdentityDomain = statics ? newDomain(DomainType.IDENTITY, "the IOMMU driver's static identity "
                + "domain") : null;
    }

    public Topology topology() {
        return topology;
    }

    public Profile profile() {
        return profile;
    }

    /** The global default domain type ({@code iommu.passthrough}, {@code iommu.strict}). */
    public DomainType defaultDomainType() {
        return defaultDomainType;
    }

    /** False when the IOMMU driver cannot allocate default domains (6.1 s390-iommu, tegra-smmu, fsl_pamu). */
    public boolean iommuHasDefaultDomains() {
        return iommuHasDefaultDomains;
    }

    /** Every device the machine has or had (removed ones are not present). */
    public Collection<Device> devices() {
        return devicesView;
    }

    public Device device(String id) {
        return devices.get(id);
    }

    /** The device if it is present (not removed), else null. */
    public Device presentDevice(String id) {
        Device d = devices.get(id);
        return d != null && d.present ? d : null;
    }

    /** The drivers in registration order. */
    public List<Driver> drivers() {
        return driversView;
    }

    public Driver driver(BusType bus, String name) {
        Map<String, Driver> onBus = driversByBus.get(bus);
        return onBus == null ? null : onBus.get(name);
    }

    /** The drivers a module registers when it loads, or null when the machine has no such module. */
    public List<Driver> moduleDrivers(String module) {
        List<Driver> drivers = modules.get(module);
        return drivers == null ? null : Collections.unmodifiableList(drivers);
    }

    /** The module names, in the order the machine lists their drivers. */
    public Set<String> moduleNames() {
        return Collections.unmodifiableSet(modules.keySet());
    }

    /** An option a loaded module was loaded with, or null. */
    public String moduleOption(String module, String name) {
        Map<String, String> options = moduleOptions.get(module);
        return options == null ? null : options.get(name);
    }

    public boolean isLoaded(String module) {
        return loadedModules.contains(module);
    }

    /** Whether the driver is registered: its module is loaded, so its directory is in sysfs. */
    public boolean isRegistered(Driver drv) {
        return driver(drv.bus(), drv.name()) == drv;
    }

    public Collection<IommuGroup> groups() {
        return groupsView;
    }

    public IommuGroup group(int id) {
        return groups.get(id);
    }

    public Map<String, Handle> handles() {
        return handlesView;
    }

    public Handle handle(String name) {
        return handles.get(name);
    }

    /** The PCI root buses in enumeration order (by domain and bus number), each with its functions. */
    public Map<Long, List<Device>> rootBuses() {
        return Collections.unmodifiableMap(new TreeMap<>(rootBuses));
    }

    /** The present PCI functions on dev's bus ({@code pdev->bus->devices}: same parent bridge, same bus number). */
    public List<Device> busDevices(Device dev) {
        List<Device> out = new ArrayList<>();
        Iterable<Device> candidates = dev.parent() != null ? dev.parent().children()
                : rootBuses.getOrDefault(dev.bdf().busKey(), List.of());
        for (Device d : candidates) {
            if (d.present && d.bdf() != null && d.parent() == dev.parent() && d.bdf().busKey() == dev.bdf().busKey()) {
                out.add(d);
            }
        }
        return out;
    }

    /** Whether a late-grouped device waits for this group number (see {@link #groupedLate}). */
    public boolean isLateGroupId(int id) {
        return lateGroupIds.contains(id);
    }

    /**
     * A device described by ACPI/IORT or devicetree gets its group from the firmware step of its first
     * dma_configure (kernel-model §2.4, §7a), unless the IOMMU core probes it when it is added (newest).
     */
    public boolean groupedLate(Device d) {
        return d.spec().groupAtDmaConfigure() && !profile.has(ProfileRule.GROUP_AT_DEVICE_ADD);
    }

    /** A new domain with the next domain number. */
    public Domain newDomain(DomainType type, String label) {
        return new Domain(nextDomainId++, type, label);
    }

    /** A group's new default domain: its own, or (newest) the IOMMU driver's static identity domain. */
    public Domain newDefaultDomain(DomainType type, int group) {
        if (type == DomainType.IDENTITY && staticIdentityDomain != null) {
            return staticIdentityDomain;
        }
        return newDomain(type, "default " + type.sysfsName() + " domain of group " + group);
    }

    /** newest: the IOMMU driver's static {@code ops->blocked_domain}; null where each group allocates its own. */
    public Domain staticBlockedDomain() {
        return staticBlockedDomain;
    }

    /** newest: the IOMMU driver's static {@code ops->identity_domain}; null where each group allocates its own. */
    Domain staticIdentityDomain() {
        return staticIdentityDomain;
    }

    /** A kernel driver's private unmanaged domain, allocated the first time a step names it. */
    public Domain privateDomain(String name) {
        return privateDomains.computeIfAbsent(name,
                n -> newDomain(DomainType.UNMANAGED, "private domain '" + n + "'"));
    }
}
