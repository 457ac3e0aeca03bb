package dev.iommufx.engine;

import dev.iommufx.engine.history.Change;
import dev.iommufx.engine.history.Journal;
import dev.iommufx.model.DomainType;
import java.util.List;
import java.util.Map;

/**
 * The only code that changes kernel state. Every write goes through the journal, so a failed operation
 * can be unwound and a successful one undone or redone in O(size of the change). The kernel objects keep their
 * fields package-private, and only the engine's boot makes a writer: the subsystems get it from there, callers
 * never do.
 */
public final class StateWriter {
    private final Journal j;
    private final KernelState state;

    StateWriter(Journal journal, KernelState state) {
        this.j = journal;
        this.state = state;
    }

    // --- devices -------------------------------------------------------------------------------
    public void driver(Device d, Driver drv) {
        j.set(Change.DEVICE, d.id(), "dev->driver", d.driver, drv, v -> d.driver = v);
    }

    public void driverLinked(Device d, boolean linked) {
        j.set(Change.DEVICE, d.id(), "driver link", d.driverLinked, linked, v -> d.driverLinked = v);
    }

    public void bound(Driver drv, Device d, boolean bound) {
        if (bound == drv.bound().contains(d)) {
            return;
        }
        Runnable add = () -> drv.bound().add(d);
        Runnable remove = () -> drv.bound().remove(d);
        j.record(Change.DRIVER, drv.name(), "bound", bound ? null : d.id(), bound ? d.id() : null,
                bound ? remove : add, bound ? add : remove);
    }

    public void driverOverride(Device d, String value) {
        j.set(Change.DEVICE, d.id(), "driver_override", d.driverOverride, value, v -> d.driverOverride = v);
    }

    public void present(Device d, boolean present) {
        j.set(Change.DEVICE, d.id(), "present", d.present, present, v -> d.present = v);
    }

    public void multifunction(Device d, boolean mf) {
        j.set(Change.DEVICE, d.id(), "multifunction", d.multifunction, mf, v -> d.multifunction = v);
    }

    public void openCount(Device d, int count) {
        j.set(Change.DEVICE, d.id(), "open VFIO device fds", d.openCount, count, v -> d.openCount = v);
    }

    /** An unbind or remove waits in vfio_unregister_group_dev(); {@code continuation} finishes it. */
    public void pendingRelease(Device d, Runnable continuation) {
        j.set(Change.DEVICE, d.id(), "pending release", d.pendingRelease, continuation, v -> d.pendingRelease = v);
    }

    /** The last fd of a device whose release waited closed: the waiting unbind or remove goes on. */
    public void resumeRelease(Device d) {
        Runnable pending = d.pendingRelease;
        pendingRelease(d, null);
        pending.run();
    }

    public void iommufdCtx(Device d, String ctx) {
        j.set(Change.DEVICE, d.id(), "iommufd context", d.iommufdCtx, ctx, v -> d.iommufdCtx = v);
    }

    public void iommufdHwpt(Device d, Domain hwpt) {
        j.set(Change.DEVICE, d.id(), "iommufd page table", d.iommufdHwpt, hwpt, v -> d.iommufdHwpt = v);
    }

    /** {@code pci_iov_set_numvfs()}: the PF's count of enabled VFs. */
    public void numVfs(Device pf, int n) {
        j.set(Change.DEVICE, pf.id(), "sriov_numvfs", pf.numVfs, n, v -> pf.numVfs = v);
    }

    public void vfAutoprobe(Device pf, boolean on) {
        j.set(Change.DEVICE, pf.id(), "sriov_drivers_autoprobe", pf.vfAutoprobe, on, v -> pf.vfAutoprobe = v);
    }

    public void phase(Device d, Phase phase) {
        j.set(Change.DEVICE, d.id(), "phase", d.phase, phase, v -> d.phase = v);
    }

    // --- drivers and modules (kernel-model §2.6) ----------------------------------------------
    /** bus_add_driver() / bus_remove_driver(): the driver joins the bus's list at its tail, or leaves it. */
    public void registered(Driver drv, boolean registered) {
        var list = state.drivers;
        var byName = state.driversByBus.computeIfAbsent(drv.bus(), b -> new java.util.HashMap<>());
        Runnable add = () -> {
            list.add(drv);
            byName.put(drv.name(), drv);
        };
        int at = list.indexOf(drv);
        Runnable remove = () -> {
            list.remove(drv);
            byName.remove(drv.name());
        };
        Runnable putBack = () -> {
            list.add(at, drv);
            byName.put(drv.name(), drv);
        };
        if (registered) {
            j.record(Change.DRIVER, drv.name(), "registered", false, true, remove, add);
        } else {
            j.record(Change.DRIVER, drv.name(), "registered", true, false, putBack, remove);
        }
    }

    /** A module's options while it is loaded (they go with it when it is unloaded). */
    public void moduleOptions(String module, Map<String, String> options) {
        var all = state.moduleOptions;
        Map<String, String> before = all.get(module);
        j.set(Change.MODULE, module, "options", before, options, v -> {
            if (v == null) {
                all.remove(module);
            } else {
                all.put(module, v);
            }
        });
    }

    public void moduleLoaded(String module, boolean loaded) {
        var set = state.loadedModules;
        if (loaded == set.contains(module)) {
            return;
        }
        Runnable add = () -> set.add(module);
        Runnable remove = () -> set.remove(module);
        j.record(Change.MODULE, module, "loaded", !loaded, loaded, loaded ? remove : add, loaded ? add : remove);
    }

    /** pci_add_dynid(): a dynamic ID at the end of the driver's list. */
    public void addDynId(Driver drv, PciDynId id) {
        listAdd(Change.DRIVER, drv.name(), "dynids", drv.dynIds, id);
    }

    /** pci_free_dynids() when the driver unregisters. */
    public void clearDynIds(Driver drv) {
        for (PciDynId id : new java.util.ArrayList<>(drv.dynIds)) {
            listRemove(Change.DRIVER, drv.name(), "dynids", drv.dynIds, id);
        }
    }

    // --- groups --------------------------------------------------------------------------------
    public void joinGroup(Device d, IommuGroup g) {
        j.set(Change.DEVICE, d.id(), "iommu_group", d.group, g, v -> d.group = v);
        listAdd(Change.GROUP, g.id(), "devices", g.devices, d);
    }

    public void leaveGroup(Device d) {
        IommuGroup g = d.group;
        listRemove(Change.GROUP, g.id(), "devices", g.devices, d);
        j.set(Change.DEVICE, d.id(), "iommu_group", g, null, v -> d.group = v);
    }

    public void ownerCnt(IommuGroup g, int n) {
        j.set(Change.GROUP, g.id(), "owner_cnt", g.ownerCnt, n, v -> g.ownerCnt = v);
    }

    public void owner(IommuGroup g, String owner) {
        j.set(Change.GROUP, g.id(), "owner", g.owner, owner, v -> g.owner = v);
    }

    public void domain(IommuGroup g, Domain d) {
        j.set(Change.GROUP, g.id(), "domain", g.domain, d, v -> g.domain = v);
    }

    public void defaultDomain(IommuGroup g, Domain d) {
        j.set(Change.GROUP, g.id(), "default_domain", g.defaultDomain, d, v -> g.defaultDomain = v);
    }

    public void blockingDomain(IommuGroup g, Domain d) {
        j.set(Change.GROUP, g.id(), "blocking_domain", g.blockingDomain, d, v -> g.blockingDomain = v);
    }

    public void domainType(IommuGroup g, Domain d, DomainType type) {
        j.set(Change.GROUP, g.id(), "default domain type", d.type(), type, d::setType);
    }

    /** vfio_create_group(): {@code /dev/vfio/<id>} for the group. */
    public VfioGroup createVfioGroup(IommuGroup g) {
        VfioGroup vg = new VfioGroup(g);
        vfio(g, vg);
        return vg;
    }

    public void vfio(IommuGroup g, VfioGroup vg) {
        j.set(Change.GROUP, g.id(), "vfio group", g.vfio, vg, v -> g.vfio = v);
    }

    /** iommu_group_alloc(): a new, empty group with the given number. */
    public IommuGroup addGroup(int id) {
        IommuGroup g = new IommuGroup(id, state.topology().iommuDetach());
        var groups = state.groups;
        j.record(Change.GROUP, g.id(), "exists", false, true, () -> groups.remove(g.id()), () -> groups.put(g.id(), g));
        return g;
    }

    public void removeGroup(IommuGroup g) {
        var groups = state.groups;
        j.record(Change.GROUP, g.id(), "exists", true, false, () -> groups.put(g.id(), g), () -> groups.remove(g.id()));
    }

    // --- VFIO ----------------------------------------------------------------------------------
    public void vfioDevices(VfioGroup vg, Device d, boolean add) {
        if (add) {
            listAdd(Change.VFIO_GROUP, vg.iommuGroup().id(), "devices", vg.devices, d);
        } else {
            listRemove(Change.VFIO_GROUP, vg.iommuGroup().id(), "devices", vg.devices, d);
        }
    }

    public void alive(VfioGroup vg, boolean alive) {
        j.set(Change.VFIO_GROUP, vg.iommuGroup().id(), "iommu_group", vg.alive, alive, v -> vg.alive = v);
    }

    public void openedBy(VfioGroup vg, String handle) {
        j.set(Change.VFIO_GROUP, vg.iommuGroup().id(), "opened by", vg.openedBy, handle, v -> vg.openedBy = v);
    }

    public void closePending(VfioGroup vg, boolean pending) {
        j.set(Change.VFIO_GROUP, vg.iommuGroup().id(), "close pending", vg.closePending, pending,
                v -> vg.closePending = v);
    }

    public void container(VfioGroup vg, VfioContainer c) {
        j.set(Change.VFIO_GROUP, vg.iommuGroup().id(), "container", vg.container, c, v -> vg.container = v);
    }

    public void containerUsers(VfioGroup vg, int n) {
        j.set(Change.VFIO_GROUP, vg.iommuGroup().id(), "container_users", vg.containerUsers, n,
                v -> vg.containerUsers = v);
    }

    public void containerGroups(VfioContainer c, VfioGroup vg, boolean add) {
        if (add) {
            listAdd(Change.CONTAINER, c.name(), "groups", c.groups, vg);
        } else {
            listRemove(Change.CONTAINER, c.name(), "groups", c.groups, vg);
        }
    }

    public void iommuDriver(VfioContainer c, String backend, Domain domain) {
        j.set(Change.CONTAINER, c.name(), "iommu_driver", c.iommuDriver, backend, v -> c.iommuDriver = v);
        j.set(Change.CONTAINER, c.name(), "domain", c.domain, domain, v -> c.domain = v);
    }

    public void handleOpen(VfioContainer c, boolean open) {
        j.set(Change.CONTAINER, c.name(), "fd open", c.handleOpen, open, v -> c.handleOpen = v);
    }

    /** vfio_fops_open(): a new container, open under the handle's name. */
    public VfioContainer openContainer(String name) {
        VfioContainer c = new VfioContainer(name);
        putHandle(new Handle(name, c, null, null));
        return c;
    }

    public void putHandle(Handle h) {
        var handles = state.handles;
        j.record(Change.HANDLE, h.name(), "open", null, h.target(),
                () -> handles.remove(h.name()), () -> handles.put(h.name(), h));
    }

    public void removeHandle(Handle h) {
        var handles = state.handles;
        j.record(Change.HANDLE, h.name(), "open", h.target(), null,
                () -> handles.put(h.name(), h), () -> handles.remove(h.name()));
    }

    // --- lists ---------------------------------------------------------------------------------
    private <T> void listAdd(String subject, Object id, String field, List<T> list, T item) {
        j.record(subject, id, field, null, item, () -> list.remove(item), () -> list.add(item));
    }

    private <T> void listRemove(String subject, Object id, String field, List<T> list, T item) {
        int at = list.indexOf(item);
        j.record(subject, id, field, item, null, () -> list.add(at, item), () -> list.remove(item));
    }
}
