package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.model.BusType;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One device as the window shows it: what never changes (address, name, bus, SR-IOV relations) and its driver
 * (as sysfs shows it), refreshed when an event names the device. Read-only: a view changes a device only through
 * the {@link MachineViewModel}'s operations.
 */
public final class DeviceItem {
    private final Device device;
    private final StringProperty driver = new SimpleStringProperty(this, "driver");
    /** What the search looks in besides the driver, in lower case; made on first use. */
    private String searchText;

    DeviceItem(Device device) {
        this.device = device;
        refresh();
    }

    Device device() {
        return device;
    }

    public String id() {
        return device.id();
    }

    /** The name people read ("GPU", "HDMI audio"). */
    public String label() {
        return device.spec().label();
    }

    /** A PCI function's vendor and device IDs ("10de:1db4"), or null (another bus, or IDs the source left out). */
    public String vendorDevice() {
        boolean known = device.spec().vendor() != 0 || device.spec().device() != 0;
        return device.bus() == BusType.PCI && known ? device.spec().vendorDevice() : null;
    }

    /**
     * The address, the name and the vendor:device IDs in lower case, a line each (a query never spans two), made
     * once: a query typed on a 13,000-function machine looks through all of them at each keystroke.
     */
    String searchText() {
        if (searchText == null) {
            String ids = vendorDevice();
            searchText = (id() + "\n" + label() + "\n" + (ids == null ? "" : ids)).toLowerCase(Locale.ROOT);
        }
        return searchText;
    }

    /** The bus as sysfs names it: "pci", "platform". */
    public String bus() {
        return device.bus().sysfsName();
    }

    /** The bound driver's name, or null. */
    public ReadOnlyStringProperty driverProperty() {
        return driver;
    }

    /** The IOMMU group the device is in, or null (none yet, or no IOMMU translates its DMA). */
    public Integer groupId() {
        return device.group() == null ? null : device.group().id();
    }

    /** SR-IOV: the physical function this virtual function belongs to, or null. */
    public String physfn() {
        return device.spec().physfn();
    }

    /** SR-IOV: the ids of this physical function's virtual functions (none for any other device). */
    /** An SR-IOV physical function's TotalVFs, or 0 for a device that is not one. */
    public int totalVfs() {
        return device.spec().sriov() == null ? 0 : device.spec().sriov().totalVfs();
    }

    /** {@code sriov_numvfs}: the VFs enabled now. */
    public int numVfs() {
        return device.numVfs();
    }

    /** {@code sriov_drivers_autoprobe}. */
    public boolean vfAutoprobe() {
        return device.vfAutoprobe();
    }

    public List<String> virtfns() {
        // the VFs a PF could have wait, not present, until sriov_numvfs enables them
        return device.virtfns().stream().filter(Device::isPresent).map(Device::id).toList();
    }

    /** newest: the iommufd context the device's VFIO cdev is bound to, or null. */
    public String iommufdContext() {
        return device.iommufdContext();
    }

    /** Whether a VFIO driver is bound, so that the device has a VFIO cdev to bind to iommufd. */
    public boolean hasVfioCdev() {
        return device.sysfsDriver() != null && device.sysfsDriver().spec().vfio();
    }

    /** Takes the driver from the kernel again; returns the driver it had before. */
    String refresh() {
        String was = driver.get();
        driver.set(device.sysfsDriver() == null ? null : device.sysfsDriver().name());
        return was;
    }
}
