package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Driver;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/** One driver as the window shows it: its name and bus, how it uses DMA, and how many devices it has. */
public final class DriverItem {
    private final Driver driver;
    private final IntegerProperty boundCount = new SimpleIntegerProperty(this, "boundCount");

    DriverItem(Driver driver) {
        this.driver = driver;
        refresh();
    }

    Driver driver() {
        return driver;
    }

    public String name() {
        return driver.name();
    }

    /** The bus as sysfs names it: "pci", "platform". */
    public String bus() {
        return driver.bus().sysfsName();
    }

    /** "pci/vfio-pci": unique in a machine (a name is unique only on its bus). */
    public String key() {
        return key(bus(), name());
    }

    static String key(String bus, String name) {
        return bus + "/" + name;
    }

    /** {@code driver_managed_dma}: the driver manages DMA itself (VFIO drivers), so binding it claims nothing. */
    public boolean driverManagedDma() {
        return driver.driverManagedDma();
    }

    /** A VFIO driver (vfio-pci, vfio-platform): a device bound to it can go to a VM. */
    public boolean vfio() {
        return driver.spec().vfio();
    }

    public ReadOnlyIntegerProperty boundCountProperty() {
        return boundCount;
    }

    /** The ids of the devices bound to it now. */
    public List<String> boundDevices() {
        return driver.boundDevices().stream().map(Device::id).toList();
    }

    void refresh() {
        boundCount.set(driver.boundCount());
    }
}
