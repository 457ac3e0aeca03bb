package dev.iommufx.engine;

import dev.iommufx.engine.history.Change;
import dev.iommufx.engine.history.History;
import dev.iommufx.engine.trace.Trace;
import dev.iommufx.model.BusType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The simulated kernel of one machine: the door to its subsystems. It forwards each operation a user (sysfs
 * writes, VFIO ioctls) or a kernel driver (IOMMU API calls) performs to the subsystem that implements it, runs it
 * in a fresh trace and journal, records it in the undo history and announces it on its {@link KernelEvents}.
 * Each operation returns an {@link OpResult}. Single-threaded by design: the real kernel serialises these
 * operations on {@code group->mutex} and the device lock.
 */
public final class Kernel {
    private final Subsystems sys;
    private final KernelState state;
    private final Trace trace;
    private final History history;
    private final KernelEvents events;
    /** False: operations return no call path (see {@link #recordCallPaths}). */
    private boolean callPaths = true;
    private long revision;

    Kernel(Subsystems sys, History history, KernelEvents events) {
        this.sys = sys;
        this.state = sys.state();
        this.trace = sys.trace();
        this.history = history;
        this.events = events;
    }

    /** Boots a machine under Linux 6.1: binds the drivers and forms the groups the topology describes. */
    public static Kernel boot(Topology topology) {
        return boot(topology, 100_000, Profile.DEFAULT);
    }

    /** Boots a machine under the rules of a kernel profile. */
    public static Kernel boot(Topology topology, Profile profile) {
        return boot(topology, 100_000, profile);
    }

    /** Boots with a bounded undo history (0: none), for long random runs and benchmarks. */
    public static Kernel boot(Topology topology, int historyLimit) {
        return boot(topology, historyLimit, Profile.DEFAULT);
    }

    public static Kernel boot(Topology topology, int historyLimit, Profile profile) {
        return boot(topology, historyLimit, profile, new KernelEvents());
    }

    /** Boots onto an event channel that outlives the machine (the window's, shared by every machine it shows). */
    public static Kernel boot(Topology topology, int historyLimit, Profile profile, KernelEvents events) {
        return Boot.boot(topology, historyLimit, profile, events);
    }

    // --- operations a user performs through sysfs ---------------------------------------------

    /** {@code echo DEV > /sys/bus/<bus>/drivers/DRV/bind}. */
    public OpResult bind(String device, String driver) {
        return run("bind " + device + " to " + driver, () -> sys.core().bindStore(driverNamed(device, driver), device));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers/<its driver>/unbind}. */
    public OpResult unbind(String device) {
        return run("unbind " + device, () -> sys.core().unbindStore(null, device));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers/DRV/unbind}: ENODEV unless DEV is bound to DRV. */
    public OpResult unbindFrom(String device, String driver) {
        return run("unbind " + device + " from " + driver,
                () -> sys.core().unbindStore(driverNamed(device, driver), device));
    }

    /** {@code echo DRV > /sys/bus/<bus>/devices/DEV/driver_override}; null clears it. */
    public OpResult driverOverride(String device, String driver) {
        String what = driver == null ? "clear driver_override of " + device
                : "driver_override " + device + " = " + driver;
        return run(what, () -> sys.core().driverOverrideStore(device, driver));
    }

    /** {@code echo DEV > /sys/bus/<bus>/drivers_probe}. */
    public OpResult driversProbe(String device) {
        return run("drivers_probe " + device, () -> sys.core().driversProbeStore(device));
    }

    /** One kernel phase of a bind ("set_driver", "dma_configure", "probe"); the driver is named in set_driver. */
    public OpResult bindPhase(String device, String driver, String phase) {
        return run("bind " + device + (driver == null ? "" : " to " + driver) + ": " + phase,
                () -> sys.stepped().bindPhase(device, driver == null ? null : driverNamed(device, driver), phase));
    }

    /** One kernel phase of an unbind ("remove", "dma_cleanup", "clear_driver"). */
    public OpResult unbindPhase(String device, String phase) {
        return run("unbind " + device + ": " + phase, () -> sys.stepped().unbindPhase(device, phase));
    }

    /** {@code echo 1 > /sys/bus/pci/devices/DEV/remove}. */
    public OpResult remove(String device) {
        return run("remove " + device, () -> sys.pci().removeStore(device));
    }

    /** {@code echo 1 > /sys/bus/pci/rescan}. */
    public OpResult rescan() {
        return run("rescan", () -> sys.pci().rescanStore());
    }

    /** {@code echo N > /sys/bus/pci/devices/PF/sriov_numvfs}: enable N virtual functions, or 0 to disable them. */
    public OpResult sriovNumvfs(String pf, long numVfs) {
        return run("sriov_numvfs " + pf + " = " + numVfs, () -> sys.iov().sriovNumvfsStore(pf, numVfs));
    }

    /** {@code echo VALUE > /sys/bus/pci/devices/PF/sriov_drivers_autoprobe}. */
    public OpResult sriovDriversAutoprobe(String pf, String value) {
        return run("sriov_drivers_autoprobe " + pf + " = " + value,
                () -> sys.iov().sriovDriversAutoprobeStore(pf, value));
    }

    /** {@code echo TYPE > /sys/kernel/iommu_groups/N/type}. */
    public OpResult setGroupType(int group, String type) {
        return run("group " + group + " type = " + type, () -> sys.typeStore().iommuGroupStoreType(group, type));
    }

    /** {@code modprobe MODULE [OPTIONS]}: load a driver module; its drivers bind what they match. */
    public OpResult modprobe(String module, String options) {
        return run("modprobe " + module + (options == null || options.isBlank() ? "" : " " + options),
                () -> sys.modules().modprobe(module, options));
    }

    /** {@code echo "VVVV DDDD" > /sys/bus/pci/drivers/DRV/new_id}: a dynamic ID; the driver binds what it now matches. */
    public OpResult newId(String driver, String id) {
        return run("new_id " + driver + " = " + id, () -> sys.pciDriver().newIdStore(state.driver(BusType.PCI, driver), id));
    }

    /** {@code rmmod MODULE}: unload a driver module; its drivers let go of their devices first. */
    public OpResult rmmod(String module) {
        return run("rmmod " + module, () -> sys.modules().rmmod(module));
    }

    // --- operations a user performs on VFIO files ----------------------------------------------

    public OpResult vfioOpenContainer(String handle) {
        return run("open /dev/vfio/vfio as " + handle, () -> sys.vfio().vfioFopsOpen(handle));
    }

    public OpResult vfioOpenGroup(int group, String handle) {
        return run("open /dev/vfio/" + group + " as " + handle, () -> sys.vfio().vfioGroupFopsOpen(group, handle));
    }

    public OpResult vfioGroupStatus(String handle) {
        return run("VFIO_GROUP_GET_STATUS on " + handle, () -> sys.vfio().vfioGroupIoctlGetStatus(handle));
    }

    public OpResult vfioSetContainer(String handle, String container) {
        return run("VFIO_GROUP_SET_CONTAINER " + handle + " -> " + container,
                () -> sys.vfio().vfioGroupIoctlSetContainer(handle, container));
    }

    public OpResult vfioSetIommu(String container, String type) {
        return run("VFIO_SET_IOMMU " + container + " " + type, () -> sys.vfio().vfioIoctlSetIommu(container, type));
    }

    public OpResult vfioGetDeviceFd(String handle, String device, String as) {
        return run("VFIO_GROUP_GET_DEVICE_FD " + handle + " " + device + " as " + as,
                () -> sys.vfio().vfioGroupIoctlGetDeviceFd(handle, device, as));
    }

    public OpResult vfioUnsetContainer(String handle) {
        return run("VFIO_GROUP_UNSET_CONTAINER " + handle, () -> sys.vfio().vfioGroupIoctlUnsetContainer(handle));
    }

    public OpResult vfioDmaMap(String container, long iova, long size) {
        return run("VFIO_IOMMU_MAP_DMA " + container, () -> sys.vfio().ioctlDmaMap(container, iova, size, true));
    }

    public OpResult vfioDmaUnmap(String container, long iova, long size) {
        return run("VFIO_IOMMU_UNMAP_DMA " + container, () -> sys.vfio().ioctlDmaMap(container, iova, size, false));
    }

    /** {@code close(fd)} of any handle. */
    public OpResult close(String handle) {
        return run("close " + handle, () -> sys.vfio().close(handle));
    }

    // --- iommufd through VFIO device cdevs (newest) ----------------------------------------------

    /** Open {@code /dev/vfio/devices/vfioX} and {@code VFIO_DEVICE_BIND_IOMMUFD} it to context {@code ctx}. */
    public OpResult iommufdBind(String device, String ctx) {
        return run("VFIO_DEVICE_BIND_IOMMUFD " + device + " -> " + ctx,
                () -> sys.iommufd().vfioDfIoctlBindIommufd(device, ctx));
    }

    /** {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}: attach the device to the context's page table {@code hwpt}. */
    public OpResult iommufdAttach(String device, String hwpt) {
        return run("VFIO_DEVICE_ATTACH_IOMMUFD_PT " + device + " -> " + hwpt,
                () -> sys.iommufd().vfioDfIoctlAttachPt(device, hwpt));
    }

    /** {@code close()} of the device's bound cdev fd: detach, then release its claim. */
    public OpResult iommufdUnbind(String device) {
        return run("close the iommufd-bound cdev of " + device, () -> sys.iommufd().vfioDeviceFopsCdevRelease(device));
    }

    // --- calls a kernel driver makes to the IOMMU core -----------------------------------------

    public OpResult claimDmaOwner(int group, String owner) {
        return run("iommu_group_claim_dma_owner(group " + group + ", " + owner + ")",
                () -> sys.iommu().iommuGroupClaimDmaOwner(state.group(group), owner));
    }

    public OpResult releaseDmaOwner(int group) {
        return run("iommu_group_release_dma_owner(group " + group + ")",
                () -> sys.iommu().iommuGroupReleaseDmaOwner(state.group(group)));
    }

    public OpResult attachGroup(int group, String domain) {
        return run("iommu_attach_group(" + domain + ", group " + group + ")",
                () -> sys.iommu().iommuAttachGroup(state.privateDomain(domain), state.group(group)));
    }

    public OpResult detachGroup(int group, String domain) {
        return run("iommu_detach_group(" + domain + ", group " + group + ")",
                () -> sys.iommu().iommuDetachGroup(state.privateDomain(domain), state.group(group)));
    }

    public OpResult attachDevice(String device, String domain) {
        return run("iommu_attach_device(" + domain + ", " + device + ")",
                () -> sys.iommu().iommuAttachDevice(state.privateDomain(domain), state.presentDevice(device)));
    }

    public OpResult detachDevice(String device, String domain) {
        return run("iommu_detach_device(" + domain + ", " + device + ")",
                () -> sys.iommu().iommuDetachDevice(state.privateDomain(domain), state.presentDevice(device)));
    }

    // --- history and events --------------------------------------------------------------------

    public boolean canUndo() {
        return history.canUndo();
    }

    public boolean canRedo() {
        return history.canRedo();
    }

    /** Undoes the last operation in the history; returns it, or null if there is none. Refused from a listener. */
    public OpResult undo() {
        events.refuseWhileDelivering("undo");
        if (!history.canUndo()) {
            return null;
        }
        OpResult op = history.undo();
        revision++;
        if (events.heard()) {
            List<Change> reversed = new ArrayList<>(op.changes());
            Collections.reverse(reversed);
            announce(new KernelEvent.Undone(op, reversed), true);
        }
        return op;
    }

    /** Redoes the last undone operation; returns it, or null if there is none. Refused from a listener. */
    public OpResult redo() {
        events.refuseWhileDelivering("redo");
        if (!history.canRedo()) {
            return null;
        }
        OpResult op = history.redo();
        revision++;
        if (events.heard()) {
            announce(new KernelEvent.Redone(op), true);
        }
        return op;
    }

    /**
     * The machine as it is now, as a new starting point whose events go out on {@code channel}: nothing to undo
     * (a boot simulated as operations, which a user cannot step back into), a new history of at most
     * {@code historyLimit} operations. This handle must not be used again.
     */
    public Kernel startingPoint(int historyLimit, KernelEvents channel) {
        return new Kernel(sys, new History(historyLimit), channel);
    }

    /** How many operations can be undone. */
    public int historySize() {
        return history.size();
    }

    /** Descriptions of the undoable operations, newest first. */
    public List<String> undoable() {
        return history.undoable();
    }

    /** Counts the changes of state (operations that changed something, undos, redos): equal revisions, equal states. */
    public long revision() {
        return revision;
    }

    /** The channel this machine's events go out on. */
    public KernelEvents events() {
        return events;
    }

    /**
     * Whether operations record their call path (on by default). Off, results carry the errno, warnings, log and
     * changes but no frames, and an operation costs less: for bulk callers such as benchmarks and sweeps.
     */
    public void recordCallPaths(boolean on) {
        callPaths = on;
    }

    // --- reading state -------------------------------------------------------------------------

    public Topology topology() {
        return state.topology();
    }

    /** The kernel version whose rules this machine follows. */
    public Profile profile() {
        return state.profile();
    }

    /** Every device the machine has or had (removed ones are not present). */
    public Collection<Device> devices() {
        return state.devices();
    }

    public Device device(String id) {
        return state.device(id);
    }

    public Collection<Driver> drivers() {
        return state.drivers();
    }

    /** A registered driver (its module is loaded), or null. */
    public Driver driver(BusType bus, String name) {
        return state.driver(bus, name);
    }

    /** The driver modules of the machine and whether each is loaded, by module name (kernel-model §2.6). */
    public Map<String, Boolean> modules() {
        Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        for (String m : state.moduleNames()) {
            out.put(m, state.isLoaded(m));
        }
        return out;
    }

    public Collection<IommuGroup> groups() {
        return state.groups();
    }

    public IommuGroup group(int id) {
        return state.group(id);
    }

    public Map<String, Handle> handles() {
        return state.handles();
    }

    // --- for the engine's own helpers (user actions, the explainer) --------------------------------

    KernelState state() {
        return state;
    }

    Subsystems subsystems() {
        return sys;
    }

    /**
     * Runs one operation in a fresh trace. The engine unwinds failures itself, as the kernel does; the operation
     * enters the history when it changed state (a failed one normally changes nothing), and is announced once
     * complete. Refused while events are delivered.
     */
    OpResult run(String operation, IntSupplier body) {
        if (events.delivering()) {
            events.refuseWhileDelivering("start '" + operation + "'");
        }
        trace.begin(callPaths);
        int mark = sys.journal().mark();
        int ret;
        try {
            ret = body.getAsInt();
        } catch (RuntimeException e) {
            sys.journal().rollbackTo(mark);
            throw e;
        }
        List<Change> changes = sys.journal().drain();
        Errno errno = ret < 0 ? Errno.of(ret) : Errno.OK;
        // a failed operation normally changes nothing; a failed bind phase unwinds the earlier phases' work
        boolean inHistory = (errno == Errno.OK || trace.failureChangesState()) && history.keeps(changes);
        OpResult result = new OpResult(operation, errno, trace.pendingOn() != null, trace.frames(), trace.warnings(),
                trace.log(), changes, trace.value(), inHistory);
        if (inHistory) {
            history.push(result);
        }
        if (!changes.isEmpty()) {
            revision++;
        }
        if (events.heard()) {
            announce(result.ok() ? new KernelEvent.OperationDone(result) : new KernelEvent.OperationRefused(result),
                    inHistory);
        }
        return result;
    }

    /** Delivers a state change's events in their order: its own, the structure's, the history's. */
    private void announce(KernelEvent.StateChanged e, boolean historyChanged) {
        List<KernelEvent> out = new ArrayList<>(3);
        out.add(e);
        if (events.hears(KernelEvent.StructureChanged.class)) {
            var s = KernelEvent.StructureChanged.of(e.changes(), e instanceof KernelEvent.Undone);
            if (s != null) {
                out.add(s);
            }
        }
        if (historyChanged) {
            out.add(new KernelEvent.HistoryChanged(history.canUndo(), history.canRedo(), history.size()));
        }
        events.deliver(out);
    }

    /** Looks up a driver on the device's bus (PCI if the device is unknown). */
    private Driver driverNamed(String device, String driver) {
        Device d = state.device(device);
        return state.driver(d == null ? BusType.PCI : d.bus(), driver);
    }
}
