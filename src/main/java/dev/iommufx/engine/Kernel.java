package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The simulated kernel: devices, drivers, IOMMU groups and VFIO state of one machine, and the operations
 * a user (sysfs writes, VFIO ioctls) or a kernel driver (IOMMU API calls) performs on them.
 * Each operation returns an {@link OpResult}; listeners hear every change. Single-threaded by design:
 * the real kernel serialises these operations on {@code group->mutex} and the device lock.
 */
public final class Kernel {
    final Topology topology;
    final Map<String, Device> devices = new LinkedHashMap<>();
    /** The drivers in registration order (the order autoprobe tries them in). */
    final List<Driver> drivers = new ArrayList<>();
    /** The same drivers by bus and name: a bind looks its driver up without building a key. */
    final Map<BusType, Map<String, Driver>> driversByBus = new java.util.EnumMap<>(BusType.class);
    final Map<Integer, IommuGroup> groups = new TreeMap<>();
    final Map<String, Handle> handles = new LinkedHashMap<>();
    final Map<String, Domain> privateDomains = new LinkedHashMap<>();
    /** PCI functions on root buses (no bridge above), by domain and bus number. */
    final Map<Long, List<Device>> rootBuses = new java.util.HashMap<>();
    final DomainType defaultDomainType;
    /** False when the topology's groups have no default domains: its IOMMU driver cannot allocate them (6.1). */
    final boolean iommuHasDefaultDomains;
    /** Group numbers the firmware will give late-grouped devices; not handed out to other groups meanwhile. */
    final java.util.Set<Integer> lateGroupIds = new java.util.HashSet<>();
    /** The kernel version whose rules apply. */
    final Profile profile;
    /** newest: the IOMMU driver's static {@code ops->blocked_domain} and {@code ops->identity_domain}. */
    final Domain staticBlockedDomain;
    final Domain staticIdentityDomain;

    final Journal journal = new Journal();
    final StateWriter w = new StateWriter(journal);
    final IommuCore iommu = new IommuCore(this);
    final GroupTypeStore typeStore = new GroupTypeStore(this);
    final IommuProbe iommuProbe = new IommuProbe(this);
    final DriverCore core = new DriverCore(this);
    final BusDma busDma = new BusDma(this);
    final BusProbe busProbe = new BusProbe(this);
    final PciCore pci = new PciCore(this);
    final Vfio vfio = new Vfio(this);
    final Iommufd iommufd = new Iommufd(this);
    final SteppedProbe stepped = new SteppedProbe(this);

    Trace trace = new Trace();
    /** Set when the running operation blocked; names what it waits for. */
    String pendingOn;
    /** A value the running operation returns besides its errno (status flags). */
    Object value;
    /** Set by a failed bind phase, whose unwinding undoes what earlier phases did: it is history too. */
    boolean failureChangesState;
    private int nextDomainId = 1;
    private boolean running;
    /** False: operations return no call path (see {@link #recordCallPaths}). */
    private boolean callPaths = true;
    private final History history;
    private final List<Consumer<KernelEvent>> listeners = new CopyOnWriteArrayList<>();

    Kernel(Topology topology, int historyLimit, Profile profile) {
        this.topology = topology;
        this.profile = profile;
        this.defaultDomainType = topology.defaultDomainType();
        this.iommuHasDefaultDomains = topology.groups().stream().allMatch(g -> g.defaultDomain() != null);
        this.history = new History(historyLimit);
        boolean statics = profile.has(ProfileRule.STATIC_DOMAINS);
        this.staticBlockedDomain = statics ? newDomain(DomainType.BLOCKED, "the IOMMU driver's static blocked domain")
                : null;
        this.staticIdentityDomain = statics ? newDomain(DomainType.IDENTITY, "the IOMMU driver's static identity "
                + "domain") : null;
    }

    /** Boots a machine under Linux 6.1: binds the drivers and forms the groups the topology describes. */
    public static Kernel boot(Topology topology) {
        return Boot.boot(topology, 100_000, Profile.DEFAULT);
    }

    /** Boots a machine under the rules of a kernel profile. */
    public static Kernel boot(Topology topology, Profile profile) {
        return Boot.boot(topology, 100_000, profile);
    }

    /** Boots with a bounded undo history (0: none), for long random runs and benchmarks. */
    public static Kernel boot(Topology topology, int historyLimit) {
        return Boot.boot(topology, historyLimit, Profile.DEFAULT);
    }

    public static Kernel boot(Topology topology, int historyLimit, Profile profile) {
        return Boot.boot(topology, historyLimit, profile);
    }

    // --- operations a user performs through sysfs ---------------------------------------------

    /** {@code echo DEV > /sys/bus/<bus>/drivers/DRV/bind}. */
    public OpResult bind(String device, String driver) {
        return run("bind " + device + " to " + driver, () -> core.bindStore(driverNamed(device, driver), device));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers/<its driver>/unbind}. */
    public OpResult unbind(String device) {
        return run("unbind " + device, () -> core.unbindStore(null, device));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers/DRV/unbind}: ENODEV unless DEV is bound to DRV. */
    public OpResult unbindFrom(String device, String driver) {
        return run("unbind " + device + " from " + driver, () -> core.unbindStore(driverNamed(device, driver), device));
    }

    /** {@code echo DRV > /sys/bus/<bus>/devices/DEV/driver_override}; null clears it. */
    public OpResult driverOverride(String device, String driver) {
        String what = driver == null ? "clear driver_override of " + device : "driver_override " + device + " = " + driver;
        return run(what, () -> core.driverOverrideStore(device, driver));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers_probe}. */
    public OpResult driversProbe(String device) {
        return run("drivers_probe " + device, () -> core.driversProbeStore(device));
    }

    /** One kernel phase of a bind ("set_driver", "dma_configure", "probe"); the driver is named in set_driver. */
    public OpResult bindPhase(String device, String driver, String phase) {
        return run("bind " + device + (driver == null ? "" : " to " + driver) + ": " + phase,
                () -> stepped.bindPhase(device, driver == null ? null : driverNamed(device, driver), phase));
    }

    /** One kernel phase of an unbind ("remove", "dma_cleanup", "clear_driver"). */
    public OpResult unbindPhase(String device, String phase) {
        return run("unbind " + device + ": " + phase, () -> stepped.unbindPhase(device, phase));
    }

    /** {@code echo 1 > /sys/bus/pci/devices/DEV/remove}. */
    public OpResult remove(String device) {
        return run("remove " + device, () -> pci.removeStore(device));
    }

    /** {@code echo 1 > /sys/bus/pci/rescan}. */
    public OpResult rescan() {
        return run("rescan", pci::rescanStore);
    }

    /** {@code echo TYPE > /sys/kernel/iommu_groups/N/type}. */
    public OpResult setGroupType(int group, String type) {
        return run("group " + group + " type = " + type, () -> typeStore.groupStoreType(group, type));
    }

    // --- operations a user performs on VFIO files ----------------------------------------------

    public OpResult vfioOpenContainer(String handle) {
        return run("open /dev/vfio/vfio as " + handle, () -> vfio.openContainer(handle));
    }

    public OpResult vfioOpenGroup(int group, String handle) {
        return run("open /dev/vfio/" + group + " as " + handle, () -> vfio.groupFopsOpen(group, handle));
    }

    public OpResult vfioGroupStatus(String handle) {
        return run("VFIO_GROUP_GET_STATUS on " + handle, () -> vfio.groupIoctlGetStatus(handle));
    }

    public OpResult vfioSetContainer(String handle, String container) {
        return run("VFIO_GROUP_SET_CONTAINER " + handle + " -> " + container,
                () -> vfio.groupIoctlSetContainer(handle, container));
    }

    public OpResult vfioSetIommu(String container, String type) {
        return run("VFIO_SET_IOMMU " + container + " " + type, () -> vfio.ioctlSetIommu(container, type));
    }

    public OpResult vfioGetDeviceFd(String handle, String device, String as) {
        return run("VFIO_GROUP_GET_DEVICE_FD " + handle + " " + device + " as " + as,
                () -> vfio.groupIoctlGetDeviceFd(handle, device, as));
    }

    public OpResult vfioUnsetContainer(String handle) {
        return run("VFIO_GROUP_UNSET_CONTAINER " + handle, () -> vfio.groupIoctlUnsetContainer(handle));
    }

    public OpResult vfioDmaMap(String container, long iova, long size) {
        return run("VFIO_IOMMU_MAP_DMA " + container, () -> vfio.ioctlDmaMap(container, iova, size, true));
    }

    public OpResult vfioDmaUnmap(String container, long iova, long size) {
        return run("VFIO_IOMMU_UNMAP_DMA " + container, () -> vfio.ioctlDmaMap(container, iova, size, false));
    }

    /** {@code close(fd)} of any handle. */
    public OpResult close(String handle) {
        return run("close " + handle, () -> vfio.close(handle));
    }

    // --- iommufd through VFIO device cdevs (newest) ----------------------------------------------

    /** Open {@code /dev/vfio/devices/vfioX} and {@code VFIO_DEVICE_BIND_IOMMUFD} it to context {@code ctx}. */
    public OpResult iommufdBind(String device, String ctx) {
        return run("VFIO_DEVICE_BIND_IOMMUFD " + device + " -> " + ctx, () -> iommufd.bind(device, ctx));
    }

    /** {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}: attach the device to the context's page table {@code hwpt}. */
    public OpResult iommufdAttach(String device, String hwpt) {
        return run("VFIO_DEVICE_ATTACH_IOMMUFD_PT " + device + " -> " + hwpt, () -> iommufd.attach(device, hwpt));
    }

    /** {@code close()} of the device's bound cdev fd: detach, then release its claim. */
    public OpResult iommufdUnbind(String device) {
        return run("close the iommufd-bound cdev of " + device, () -> iommufd.unbind(device));
    }

    // --- calls a kernel driver makes to the IOMMU core -----------------------------------------

    public OpResult claimDmaOwner(int group, String owner) {
        return run("iommu_group_claim_dma_owner(group " + group + ", " + owner + ")",
                () -> iommu.claimDmaOwner(groupOrNull(group), owner));
    }

    public OpResult releaseDmaOwner(int group) {
        return run("iommu_group_release_dma_owner(group " + group + ")",
                () -> iommu.releaseDmaOwner(groupOrNull(group)));
    }

    public OpResult attachGroup(int group, String domain) {
        return run("iommu_attach_group(" + domain + ", group " + group + ")",
                () -> iommu.attachGroup(privateDomain(domain), groupOrNull(group)));
    }

    public OpResult detachGroup(int group, String domain) {
        return run("iommu_detach_group(" + domain + ", group " + group + ")",
                () -> iommu.detachGroup(privateDomain(domain), groupOrNull(group)));
    }

    public OpResult attachDevice(String device, String domain) {
        return run("iommu_attach_device(" + domain + ", " + device + ")",
                () -> iommu.attachDevice(privateDomain(domain), presentDevice(device)));
    }

    public OpResult detachDevice(String device, String domain) {
        return run("iommu_detach_device(" + domain + ", " + device + ")",
                () -> iommu.detachDevice(privateDomain(domain), presentDevice(device)));
    }

    // --- history and listeners -----------------------------------------------------------------

    public boolean canUndo() {
        return history.canUndo();
    }

    public boolean canRedo() {
        return history.canRedo();
    }

    /** Undoes the last successful operation; returns it, or null if there is none. */
    public OpResult undo() {
        if (running || !history.canUndo()) {
            return null;
        }
        OpResult op = history.undo();
        List<Change> reversed = new ArrayList<>(op.changes());
        Collections.reverse(reversed);
        fire(new KernelEvent(KernelEvent.Kind.UNDO, op, reversed));
        return op;
    }

    public OpResult redo() {
        if (running || !history.canRedo()) {
            return null;
        }
        OpResult op = history.redo();
        fire(new KernelEvent(KernelEvent.Kind.REDO, op, op.changes()));
        return op;
    }

    /**
     * Whether operations record their call path (on by default). Off, results carry the errno, warnings, log and
     * changes but no frames, and an operation costs less: for bulk callers such as benchmarks and sweeps.
     */
    public void recordCallPaths(boolean on) {
        callPaths = on;
    }

    /** How many operations can be undone. */
    public int historySize() {
        return history.size();
    }

    /** Descriptions of the undoable operations, newest first. */
    public List<String> undoable() {
        return history.undoable();
    }

    public void addListener(Consumer<KernelEvent> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<KernelEvent> l) {
        listeners.remove(l);
    }

    // --- reading state -------------------------------------------------------------------------

    public Topology topology() {
        return topology;
    }

    /** The kernel version whose rules this machine follows. */
    public Profile profile() {
        return profile;
    }

    /** Every device the machine has or had (removed ones are not present). */
    public Collection<Device> devices() {
        return Collections.unmodifiableCollection(devices.values());
    }

    public Device device(String id) {
        return devices.get(id);
    }

    public Collection<Driver> drivers() {
        return Collections.unmodifiableList(drivers);
    }

    public Driver driver(BusType bus, String name) {
        Map<String, Driver> onBus = driversByBus.get(bus);
        return onBus == null ? null : onBus.get(name);
    }

    public Collection<IommuGroup> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    public IommuGroup group(int id) {
        return groups.get(id);
    }

    public Map<String, Handle> handles() {
        return Collections.unmodifiableMap(handles);
    }

    // --- the operation runner ------------------------------------------------------------------

    /**
     * Runs one operation. The engine unwinds failures itself, as the kernel does; a failed operation
     * is not recorded in the history when it left nothing to undo.
     */
    OpResult run(String operation, IntSupplier body) {
        if (running) {
            throw new IllegalStateException("an operation cannot start inside another (listener re-entry?)");
        }
        running = true;
        trace = new Trace(callPaths);
        pendingOn = null;
        value = null;
        failureChangesState = false;
        int mark = journal.mark();
        int ret;
        try {
            ret = body.getAsInt();
        } catch (RuntimeException e) {
            journal.rollbackTo(mark);
            throw e;
        } finally {
            running = false;
        }
        List<Change> changes = journal.drain();
        Errno errno = ret < 0 ? Errno.of(ret) : Errno.OK;
        OpResult result = new OpResult(operation, errno, pendingOn != null, trace.frames(), trace.warnings(),
                trace.log(), changes, value);
        // a failed operation normally changes nothing; a failed bind phase unwinds the earlier phases' work
        if (errno == Errno.OK || failureChangesState) {
            history.record(result);
        }
        if (heard()) {
            fire(new KernelEvent(KernelEvent.Kind.OPERATION, result, changes));
        }
        return result;
    }

    private void fire(KernelEvent e) {
        for (Consumer<KernelEvent> l : listeners) {
            l.accept(e);
        }
    }

    private boolean heard() {
        return !listeners.isEmpty();
    }

    /** A group's new default domain: its own, or (newest) the IOMMU driver's static identity domain. */
    Domain newDefaultDomain(DomainType type, int group) {
        if (type == DomainType.IDENTITY && staticIdentityDomain != null) {
            return staticIdentityDomain;
        }
        return newDomain(type, "default " + type.sysfsName() + " domain of group " + group);
    }

    Domain newDomain(DomainType type, String label) {
        return new Domain(nextDomainId++, type, label);
    }

    /** Looks up a driver on the device's bus (PCI if the device is unknown). */
    private Driver driverNamed(String device, String driver) {
        Device d = devices.get(device);
        return driver(d == null ? BusType.PCI : d.bus(), driver);
    }

    Device presentDevice(String id) {
        Device d = devices.get(id);
        return d != null && d.present ? d : null;
    }

    IommuGroup groupOrNull(int id) {
        return groups.get(id);
    }

    /** A kernel driver's private unmanaged domain, allocated the first time a step names it. */
    private Domain privateDomain(String name) {
        return privateDomains.computeIfAbsent(name,
                n -> newDomain(DomainType.UNMANAGED, "private domain '" + n + "'"));
    }
}
