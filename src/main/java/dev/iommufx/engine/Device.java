package dev.iommufx.engine;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A device ({@code struct device}, with the {@code struct pci_dev} fields grouping needs).
 * A removed device stays known (not present) so that a rescan can find it again, as the hardware would be.
 * Its fields change only through the engine's {@link StateWriter}.
 */
public final class Device {
    private final DeviceSpec spec;
    /** The id and bus are copied out of the spec: every operation reads them, the rest of the spec rarely. */
    private final String id;
    private final BusType bus;
    private final Bdf bdf;
    private final Device parent;
    private final List<Device> children = new ArrayList<>();
    /** SR-IOV: this physical function's virtual functions. */
    final List<Device> virtfns = new ArrayList<>();
    /** SR-IOV: this virtual function's physical function, linked at boot. */
    Device physfnRef;

    boolean present = true;
    /** {@code dev->driver}: set from the start of really_probe until device_unbind_cleanup. */
    Driver driver;
    /** The {@code driver} symlink in sysfs: set by driver_bound, removed by driver_sysfs_remove. */
    boolean driverLinked;
    String driverOverride;
    IommuGroup group;
    /** {@code pci_dev->multifunction}: the header bit, plus "function > 0" once pci_scan_slot saw it. */
    boolean multifunction;
    /** Open VFIO device file descriptors of this device. */
    int openCount;
    /** Set while an unbind or remove waits in vfio_unregister_group_dev() for the user to close the device. */
    Runnable pendingRelease;
    /** newest: the iommufd context this device's VFIO cdev is bound to, or null. */
    String iommufdCtx;
    /** newest: the iommufd page table the device is attached to, or null. */
    Domain iommufdHwpt;
    /** A bind or unbind stopped between its kernel phases (a race scenario), or null. */
    Phase phase;
    /** SR-IOV physical function: {@code pdev->sriov->num_VFs}, the VFs enabled now. */
    int numVfs;
    /** SR-IOV physical function: {@code pdev->sriov->drivers_autoprobe}, whether new VFs are probed. */
    boolean vfAutoprobe = true;

    Device(DeviceSpec spec, Device parent) {
        this.spec = spec;
        this.id = spec.id();
        this.bus = spec.bus();
        this.bdf = spec.bdf();
        this.parent = parent;
        this.multifunction = spec.multifunction();
        if (parent != null) {
            parent.children.add(this);
        }
    }

    /** SR-IOV physical function: how many virtual functions are enabled ({@code sriov_numvfs}). */
    public int numVfs() {
        return numVfs;
    }

    /** SR-IOV physical function: {@code sriov_drivers_autoprobe}. */
    public boolean vfAutoprobe() {
        return vfAutoprobe;
    }

    /** The physical function of a virtual function, or null. */
    public Device physfn() {
        return physfnRef;
    }

    public DeviceSpec spec() {
        return spec;
    }

    public String id() {
        return id;
    }

    public BusType bus() {
        return bus;
    }

    /** The PCI address, or null for non-PCI devices. */
    public Bdf bdf() {
        return bdf;
    }

    /** The bridge above ({@code pdev->bus->self}), or null on a root bus. */
    public Device parent() {
        return parent;
    }

    public List<Device> children() {
        return Collections.unmodifiableList(children);
    }

    /** SR-IOV: the virtual functions of this physical function (none for other devices). */
    public List<Device> virtfns() {
        return Collections.unmodifiableList(virtfns);
    }

    public boolean isPresent() {
        return present;
    }

    /** {@code dev->driver}. During a pending unbind it is still set, while sysfs shows no driver. */
    public Driver driver() {
        return driver;
    }

    /** What {@code /sys/bus/.../devices/X/driver} shows: the bound driver, or null. */
    public Driver sysfsDriver() {
        return driverLinked ? driver : null;
    }

    public String driverOverride() {
        return driverOverride;
    }

    public IommuGroup group() {
        return group;
    }

    public boolean kernelMultifunction() {
        return multifunction;
    }

    public boolean releasePending() {
        return pendingRelease != null;
    }

    public int openVfioHandles() {
        return openCount;
    }

    /** The iommufd context the device is bound to through its VFIO cdev, or null. */
    public String iommufdContext() {
        return iommufdCtx;
    }

    /** The iommufd page table the device is attached to through its cdev, or null. */
    public Domain iommufdHwpt() {
        return iommufdHwpt;
    }

    /** The phase a stepped bind or unbind of this device stopped at, or null. */
    public Phase phase() {
        return phase;
    }

    @Override
    public String toString() {
        return id;
    }
}
