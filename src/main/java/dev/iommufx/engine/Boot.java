package dev.iommufx.engine;

import dev.iommufx.engine.history.History;
import dev.iommufx.engine.pci.PciCore;
import dev.iommufx.engine.pci.PciDeviceGroup;
import dev.iommufx.engine.vfio.VfioModules;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * Brings a machine to the state it has after boot: every device enumerated and in its IOMMU group
 * (as declared, or derived with {@code pci_device_group()} in enumeration order like
 * {@code bus_iommu_probe()}), and every boot driver bound with its DMA-API use counted. It builds the state
 * directly, as a constructor would: boot is no operation, nothing of it is undone.
 */
final class Boot {
    private Boot() {
    }

    static Kernel boot(Topology t, int historyLimit, Profile profile, KernelEvents events) {
        KernelState k = new KernelState(t, profile);
        Subsystems sys = Subsystems.wire(k);
        sys.trace().begin(false); // nobody sees boot's call path
        for (DriverSpec ds : t.drivers()) {
            Driver drv = new Driver(ds);
            k.modules.computeIfAbsent(ds.module(), m -> new ArrayList<>()).add(drv);
            if (ds.loaded()) {
                // a module's drivers are registered together: the module is loaded or not
                k.loadedModules.add(ds.module());
                k.drivers.add(drv);
                k.driversByBus.computeIfAbsent(ds.bus(), b -> new java.util.HashMap<>()).put(ds.name(), drv);
            }
        }
        // the VFIO core and its type1 backend: known to every machine; loaded when a VFIO driver is
        for (String core : VfioModules.BEFORE_A_VFIO_DRIVER) {
            k.modules.putIfAbsent(core, new ArrayList<>());
            if (t.drivers().stream().anyMatch(d -> d.vfio() && d.loaded())) {
                k.loadedModules.add(core);
            }
        }
        addDevices(k, t);
        linkVirtfns(k);
        Set<Integer> lateGroups = lateGroups(k);
        k.lateGroupIds.addAll(lateGroups);
        for (GroupSpec gs : t.groups()) {
            if (!lateGroups.contains(gs.id())) {
                k.groups.put(gs.id(), newGroup(k, gs.id(), gs.defaultDomain()));
            }
        }
        Set<Integer> declared = new HashSet<>(k.groups.keySet());
        for (Device d : PciCore.enumerationOrder(k.rootBuses(), k.devices.values())) {
            if (d.present && !k.groupedLate(d)) {
                joinBootGroup(k, sys, d);
            }
        }
        for (IommuGroup g : k.groups.values()) {
            if (!declared.contains(g.id())) {
                settleDerivedDefaultType(k, g);
            }
        }
        for (Device d : k.devices.values()) {
            if (!d.present) {
                continue; // a virtual function not enabled at boot
            }
            if (k.groupedLate(d)) {
                probeBootDriver(k, sys, d);
            } else {
                bindBootDriver(k, d);
            }
        }
        sys.journal().drain();
        return new Kernel(sys, new History(historyLimit), events);
    }

    /** Groups all of whose members get them late: they do not exist until the first of them is configured. */
    private static Set<Integer> lateGroups(KernelState k) {
        Set<Integer> late = new HashSet<>();
        Set<Integer> early = new HashSet<>();
        for (Device d : k.devices.values()) {
            Integer g = d.spec().group();
            if (g != null) {
                (k.groupedLate(d) ? late : early).add(g);
            }
        }
        late.removeAll(early);
        return late;
    }

    /**
     * iommu.c: probe_alloc_default_domain() (6.1) / iommu_get_default_domain_type() (newest), §1.3: a derived
     * group gets one type for all its members, once they have all joined: the type its members demand, else the
     * global default; when two demand different types, 6.1 warns and uses the global default and newest prefers
     * identity ({@link ProfileRule#CONFLICT_PREFERS_IDENTITY}).
     */
    private static void settleDerivedDefaultType(KernelState k, IommuGroup g) {
        if (g.defaultDomain == null) {
            return;
        }
        Set<DomainType> demanded = new HashSet<>();
        for (Device d : g.devices) {
            if (d.spec().requiredDomain() != null) {
                demanded.add(d.spec().requiredDomain());
            }
        }
        DomainType type = demanded.size() == 1 ? demanded.iterator().next()
                : demanded.size() > 1 && k.profile().has(ProfileRule.CONFLICT_PREFERS_IDENTITY) ? DomainType.IDENTITY
                : k.defaultDomainType();
        if (g.defaultDomain.type() != type) {
            g.defaultDomain = k.newDefaultDomain(type, g.id());
            g.domain = g.defaultDomain;
        }
    }

    /** A boot driver of a late-grouped device binds through the real probe path, so the profile's order shows. */
    private static void probeBootDriver(KernelState k, Subsystems sys, Device d) {
        String name = d.spec().driver();
        if (name != null) {
            sys.core().reallyProbe(d, k.driver(d.bus(), name));
        }
    }

    private static void addDevices(KernelState k, Topology t) {
        Iterator<String> order = new TopologicalOrderIterator<>(t.tree());
        while (order.hasNext()) {
            DeviceSpec spec = t.device(order.next());
            Device parent = spec.parent() == null ? null : k.devices.get(spec.parent());
            Device d = new Device(spec, parent);
            // pci_scan_slot(): a function above 0 of a multifunction slot is multifunction; SR-IOV virtual
            // functions are added by pci_iov_add_virtfn() instead and keep their header bit
            if (d.bdf() != null && d.bdf().function() > 0 && !spec.isVirtfn()) {
                d.multifunction = true;
            }
            d.driverOverride = spec.driverOverride();
            k.devices.put(spec.id(), d);
            if (parent == null && d.bdf() != null) {
                k.rootBuses.computeIfAbsent(d.bdf().busKey(), key -> new ArrayList<>()).add(d);
            }
        }
    }

    private static void linkVirtfns(KernelState k) {
        // the VFs the PFs can enable but that are not enabled at boot: known, not present (kernel-model §6.5)
        for (DeviceSpec vf : k.topology().unlistedVirtfns()) {
            Device d = new Device(vf, vf.parent() == null ? null : k.devices.get(vf.parent()));
            d.present = false;
            k.devices.put(vf.id(), d);
            if (d.parent() == null) {
                k.rootBuses.computeIfAbsent(d.bdf().busKey(), key -> new ArrayList<>()).add(d);
            }
        }
        for (Device d : k.devices.values()) {
            if (d.spec().physfn() != null) {
                Device pf = k.devices.get(d.spec().physfn());
                pf.virtfns.add(d);
                d.physfnRef = pf;
                if (d.present) {
                    pf.numVfs++;
                }
            }
        }
        for (Device pf : k.devices.values()) {
            pf.virtfns.sort(java.util.Comparator.comparing(Device::bdf));
            if (pf.spec().sriov() != null) {
                pf.vfAutoprobe = pf.spec().sriov().driversAutoprobe();
            }
        }
    }

    private static IommuGroup newGroup(KernelState k, int id, DomainType defaultType) {
        IommuGroup g = new IommuGroup(id, k.topology().iommuDetach());
        if (defaultType == null && k.profile().has(ProfileRule.MANDATORY_DEFAULT_DOMAINS)) {
            defaultType = k.topology().iommuDetach();
        }
        if (defaultType != null) {
            g.defaultDomain = k.newDefaultDomain(defaultType, id);
            g.domain = g.defaultDomain;
        }
        return g;
    }

    private static void joinBootGroup(KernelState k, Subsystems sys, Device d) {
        Integer declared = d.spec().group();
        IommuGroup g;
        if (declared != null) {
            g = k.groups.get(declared);
        } else if (d.bus() == BusType.PCI && k.topology().iommuEnabled()) {
            g = new PciDeviceGroup(k::busDevices, sys.trace()).find(d);
            if (g == null) {
                int id = sys.iommuProbe().lowestFreeGroupId();
                g = newGroup(k, id, k.defaultDomainType()); // its type is settled once every member has joined
                k.groups.put(id, g);
            }
        } else {
            return; // a device behind no IOMMU, or the IOMMU is off (kernel-model §4.1)
        }
        g.devices.add(d);
        d.group = g;
    }

    private static void bindBootDriver(KernelState k, Device d) {
        String name = d.spec().driver();
        if (name == null) {
            return;
        }
        Driver drv = k.driver(d.bus(), name);
        d.driver = drv;
        d.driverLinked = true;
        drv.bound().add(d);
        if (!drv.driverManagedDma() && d.group != null) {
            d.group.ownerCnt++;
        }
        if (drv.spec().vfio() && d.group != null) {
            if (d.group.vfio == null) {
                d.group.vfio = new VfioGroup(d.group);
            }
            d.group.vfio.devices.add(d);
        }
    }
}
