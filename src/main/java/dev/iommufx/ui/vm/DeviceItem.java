package dev.iommufx.ui.vm;

import dev.iommufx.engine.Device;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One device as the view shows it: its driver (as sysfs shows it), refreshed when an event names it. */
public final class DeviceItem {
    private final Device device;
    private final StringProperty driver = new SimpleStringProperty(this, "driver");

    DeviceItem(Device device) {
        this.device = device;
        refresh();
    }

    public Device device() {
        return device;
    }

    public String id() {
        return device.id();
    }

    /** The bound driver's name, or null. */
    public ReadOnlyStringProperty driverProperty() {
        return driver;
    }

    void refresh() {
        driver.set(device.sysfsDriver() == null ? null : device.sysfsDriver().name());
    }
}
