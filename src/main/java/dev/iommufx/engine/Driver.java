package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A registered driver ({@code struct device_driver}) and the devices bound to it. */
public final class Driver {
    private final DriverSpec spec;
    /** A plain hash set: binding and unbinding touch only their own entry, not neighbours in a linked order. */
    private final Set<Device> bound = new HashSet<>();

    Driver(DriverSpec spec) {
        this.spec = spec;
    }

    public DriverSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public BusType bus() {
        return spec.bus();
    }

    /** {@code driver_managed_dma}: the bus's dma_configure takes no DMA-API ownership for this driver. */
    public boolean driverManagedDma() {
        return spec.driverManagedDma();
    }

    /** The devices bound to this driver, by id. */
    public List<Device> boundDevices() {
        return bound.stream().sorted(Comparator.comparing(Device::id)).toList();
    }

    public int boundCount() {
        return bound.size();
    }

    Set<Device> bound() {
        return bound;
    }

    @Override
    public String toString() {
        return spec.name();
    }
}
