package dev.iommufx.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;

/**
 * A machine as it boots: its devices (a tree, kept as a JGraphT directed acyclic graph from parent to
 * child), its registered drivers in registration order, and its IOMMU groups.
 * Construction refuses duplicate ids, dangling references and cycles with an {@link IllegalArgumentException};
 * the file reader reports the same problems with their place in the file before it gets here.
 */
public final class Topology {
    private final String name;
    private final String description;
    private final DomainType defaultDomainType;
    private final DomainType iommuDetach;
    private final Map<String, DeviceSpec> devices;
    private final Map<String, DriverSpec> drivers;
    private final Map<Integer, GroupSpec> groups;
    private final DirectedAcyclicGraph<String, DefaultEdge> tree;
    private final boolean iommuEnabled;
    private final MachineFacts facts;

    public Topology(String name, String description, DomainType defaultDomainType, List<DeviceSpec> devices,
                    List<DriverSpec> drivers, List<GroupSpec> groups) {
        this(name, description, defaultDomainType, DomainType.PLATFORM, devices, drivers, groups);
    }

    /** @param iommuDetach see {@link #iommuDetach()}: PLATFORM or IDENTITY (null: PLATFORM) */
    public Topology(String name, String description, DomainType defaultDomainType, DomainType iommuDetach,
                    List<DeviceSpec> devices, List<DriverSpec> drivers, List<GroupSpec> groups) {
        this(name, description, defaultDomainType, iommuDetach, devices, drivers, groups, true, MachineFacts.NONE);
    }

    /**
     * @param iommuEnabled see {@link #iommuEnabled()}
     * @param facts        what the machine's source says beyond it ({@link #facts()}; null: nothing)
     */
    public Topology(String name, String description, DomainType defaultDomainType, DomainType iommuDetach,
                    List<DeviceSpec> devices, List<DriverSpec> drivers, List<GroupSpec> groups,
                    boolean iommuEnabled, MachineFacts facts) {
        this.iommuEnabled = iommuEnabled;
        this.facts = facts == null ? MachineFacts.NONE : facts;
        this.name = name == null ? "unnamed" : name;
        this.iommuDetach = iommuDetach == null ? DomainType.PLATFORM : iommuDetach;
        if (this.iommuDetach != DomainType.PLATFORM && this.iommuDetach != DomainType.IDENTITY) {
            throw new IllegalArgumentException("an IOMMU driver's detach means platform DMA or identity, not "
                    + iommuDetach);
        }
        this.description = description == null ? "" : description;
        this.defaultDomainType = defaultDomainType == null ? DomainType.DMA_FQ : defaultDomainType;
        if (!this.defaultDomainType.canBeDefault()) {
            throw new IllegalArgumentException("global default domain type cannot be " + defaultDomainType);
        }
        this.drivers = indexDrivers(drivers);
        this.groups = indexGroups(groups);
        this.devices = new LinkedHashMap<>();
        this.tree = new DirectedAcyclicGraph<>(DefaultEdge.class);
        for (DeviceSpec d : devices) {
            if (this.devices.putIfAbsent(d.id(), d) != null) {
                throw new IllegalArgumentException("duplicate device id " + d.id());
            }
            tree.addVertex(d.id());
        }
        for (DeviceSpec d : devices) {
            checkReferences(d);
            if (d.parent() != null) {
                try {
                    tree.addEdge(d.parent(), d.id());
                } catch (IllegalArgumentException cycle) {
                    throw new IllegalArgumentException("device " + d.id() + " is its own ancestor (cycle through "
                            + d.parent() + ")");
                }
            }
        }
    }

    private static Map<String, DriverSpec> indexDrivers(List<DriverSpec> list) {
        Map<String, DriverSpec> map = new LinkedHashMap<>();
        Map<String, DriverSpec> byModule = new java.util.HashMap<>();
        for (DriverSpec d : list) {
            if (map.putIfAbsent(d.bus().sysfsName() + "/" + d.name(), d) != null) {
                throw new IllegalArgumentException("duplicate driver " + d.name() + " on bus " + d.bus().sysfsName());
            }
            DriverSpec sibling = byModule.putIfAbsent(d.module(), d);
            if (sibling != null && (sibling.loaded() != d.loaded() || sibling.builtin() != d.builtin())) {
                throw new IllegalArgumentException("drivers " + sibling.name() + " and " + d.name() + " come from one"
                        + " module, " + d.module() + ", so they are loaded (and built in) together");
            }
        }
        return map;
    }

    private static Map<Integer, GroupSpec> indexGroups(List<GroupSpec> list) {
        Map<Integer, GroupSpec> map = new LinkedHashMap<>();
        for (GroupSpec g : list) {
            if (map.putIfAbsent(g.id(), g) != null) {
                throw new IllegalArgumentException("duplicate group " + g.id());
            }
        }
        return map;
    }

    private void checkReferences(DeviceSpec d) {
        if (d.parent() != null && !devices.containsKey(d.parent())) {
            throw new IllegalArgumentException("device " + d.id() + " has unknown parent " + d.parent());
        }
        if (d.driver() != null && driver(d.bus(), d.driver()) == null) {
            throw new IllegalArgumentException("device " + d.id() + " is bound to unknown driver " + d.driver());
        }
        if (d.driver() != null && !driver(d.bus(), d.driver()).loaded()) {
            throw new IllegalArgumentException("device " + d.id() + " is bound to " + d.driver() + ", whose module "
                    + driver(d.bus(), d.driver()).module() + " is not loaded");
        }
        if (d.physfn() != null && (!devices.containsKey(d.physfn()) || d.physfn().equals(d.id()))) {
            throw new IllegalArgumentException("virtual function " + d.id() + " names unknown physical function "
                    + d.physfn());
        }
        if (d.group() != null && !groups.containsKey(d.group())) {
            throw new IllegalArgumentException("device " + d.id() + " is in undeclared group " + d.group());
        }
        if (d.group() != null && !iommuEnabled && d.bus() == BusType.PCI) {
            throw new IllegalArgumentException("device " + d.id() + " is in group " + d.group() + ", but the IOMMU"
                    + " is off: no PCI device has a group");
        }
    }

    /** Computed once: a topology does not change. */
    private Map<String, DeviceSpec> unlistedVirtfns;

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The global default-domain type ({@code iommu_def_domain_type}); "auto" in sysfs {@code type} picks it. */
    public DomainType defaultDomainType() {
        return defaultDomainType;
    }

    /**
     * What the IOMMU driver's {@code detach_dev} meant, for groups without a default domain (6.1 ND): PLATFORM (platform
     * DMA ops: s390-iommu, fsl_pamu, power) or IDENTITY (no translation: tegra-smmu, exynos, omap, msm and others).
     * The same in 6.1; from 6.7 such a group gets a default domain of this type (kernel-model §7c.4).
     */
    public DomainType iommuDetach() {
        return iommuDetach;
    }

    /** Devices in file order. */
    public List<DeviceSpec> devices() {
        return List.copyOf(devices.values());
    }

    public DeviceSpec device(String id) {
        return devices.get(id);
    }

    /**
     * The virtual functions the PFs' SR-IOV capabilities can enable that the topology does not list (it lists the
     * VFs enabled at boot), in PF order then VF order: the devices {@code sriov_numvfs} brings (kernel-model §6.5).
     */
    public List<DeviceSpec> unlistedVirtfns() {
        if (unlistedVirtfns == null) {
            unlistedVirtfns = computeUnlistedVirtfns();
        }
        return unlistedVirtfns.values().stream().toList();
    }

    private Map<String, DeviceSpec> computeUnlistedVirtfns() {
        Map<String, DeviceSpec> out = new LinkedHashMap<>();
        for (DeviceSpec pf : devices.values()) {
            if (pf.sriov() == null) {
                continue;
            }
            for (int n = 0; n < pf.sriov().totalVfs(); n++) {
                DeviceSpec vf = pf.sriov().virtfn(pf, n);
                if (vf != null && !devices.containsKey(vf.id())) {
                    out.putIfAbsent(vf.id(), vf);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A device the topology lists, or a virtual function one of its PFs can enable; null otherwise. */
    public DeviceSpec deviceOrVirtfn(String id) {
        DeviceSpec d = devices.get(id);
        if (d != null) {
            return d;
        }
        unlistedVirtfns();
        return unlistedVirtfns.get(id);
    }

    /** Drivers in registration order (the order autoprobe tries them). */
    public List<DriverSpec> drivers() {
        return List.copyOf(drivers.values());
    }

    public DriverSpec driver(BusType bus, String name) {
        return drivers.get(bus.sysfsName() + "/" + name);
    }

    public List<GroupSpec> groups() {
        return List.copyOf(groups.values());
    }

    public GroupSpec group(int id) {
        return groups.get(id);
    }

    /** The device tree, parent to child; read-only. */
    public Graph<String, DefaultEdge> tree() {
        return new AsUnmodifiableGraph<>(tree);
    }

    /** Children of a device, in file order. */
    public List<DeviceSpec> children(String id) {
        List<DeviceSpec> out = new ArrayList<>();
        for (DefaultEdge e : tree.outgoingEdgesOf(id)) {
            out.add(devices.get(tree.getEdgeTarget(e)));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * False when no IOMMU translates the machine's PCI devices (VT-d or AMD-Vi off in the firmware, or
     * {@code intel_iommu=off}): the kernel makes no IOMMU group for them, so VFIO can take none (kernel-model §4.1:
     * registering a device without a group fails with EINVAL). True for every machine that has groups.
     */
    public boolean iommuEnabled() {
        return iommuEnabled;
    }

    /** What the machine's source says beyond the machine itself (kernel command line, log, reset methods...). */
    public MachineFacts facts() {
        return facts;
    }

    /** The same machine with these facts. */
    public Topology withFacts(MachineFacts newFacts) {
        return new Topology(name, description, defaultDomainType, iommuDetach, devices(), drivers(), groups(),
                iommuEnabled, newFacts);
    }

    /** The same machine with its devices replaced (the same ids, say with names added), all else kept. */
    public Topology withDevices(List<DeviceSpec> newDevices) {
        return new Topology(name, description, defaultDomainType, iommuDetach, newDevices, drivers(), groups(),
                iommuEnabled, facts);
    }

    /** True when every device has a group number (otherwise the engine derives the missing ones). */
    public boolean groupsComplete() {
        return devices.values().stream().allMatch(d -> d.group() != null);
    }
}
