package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** A registered driver ({@code struct device_driver}) and the devices bound to it. */
public final class Driver {
    private final DriverSpec spec;
    private final Set<Device> bound = new LinkedHashSet<>();

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

    public Set<Device> boundDevices() {
        return Collections.unmodifiableSet(bound);
    }

    Set<Device> bound() {
        return bound;
    }

    @Override
    public String toString() {
        return spec.name();
    }
}
