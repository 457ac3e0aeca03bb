package dev.iommufx.engine;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** A registered driver ({@code struct device_driver}) and the devices bound to it. */
public final class Driver {
    private final DriverSpec spec;
    /**
     * An identity set kept in one open-addressed array: a bind makes no entry object, so a rebind leaves nothing new
     * hanging off this long-lived set for the collector (removal may shift a few neighbouring slots).
     */
    private final Set<Device> bound = Collections.newSetFromMap(new IdentityHashMap<>());
    /** {@code drv->dynids}: entries added after registration (vfio-pci's {@code ids=}, {@code new_id}). */
    final List<PciDynId> dynIds = new ArrayList<>();

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

    /** The dynamic IDs, oldest first; the driver core checks them before the ID table. */
    public List<PciDynId> dynIds() {
        return Collections.unmodifiableList(dynIds);
    }

    /** The module that registers the driver ({@code vfio_pci}). */
    public String module() {
        return spec.module();
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
