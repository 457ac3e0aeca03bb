package dev.iommufx.model;

import java.util.List;

/**
 * A registered driver.
 *
 * @param name             the driver's name as in {@code /sys/bus/<bus>/drivers/}
 * @param bus              its bus
 * @param driverManagedDma {@code driver_managed_dma}: the bus's {@code dma_configure} takes no DMA-API
 *                         ownership for it (vfio-pci, pci-stub, pcieport, ...)
 * @param vfio             the driver registers its devices with VFIO ({@code vfio_register_group_dev()}),
 *                         creating {@code /dev/vfio/<group>}
 * @param match            its ID table
 * @param probeErrno       if set, the driver's {@code probe()} fails with this errno (a broken driver, for teaching)
 * @param pcieTypes        if not empty, {@code probe()} rejects other PCIe port types with ENODEV (pcieport)
 */
public record DriverSpec(
        String name,
        BusType bus,
        boolean driverManagedDma,
        boolean vfio,
        MatchRules match,
        String probeErrno,
        List<PcieType> pcieTypes) {

    public DriverSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("driver name is empty");
        }
        if (bus == null) {
            throw new IllegalArgumentException("driver " + name + " has no bus");
        }
        match = match == null ? MatchRules.OVERRIDE_ONLY : match;
        pcieTypes = pcieTypes == null ? List.of() : List.copyOf(pcieTypes);
    }

    /** A DMA-API driver matching the given PCI vendor:device pairs. */
    public static DriverSpec pciKernel(String name, String... ids) {
        return new DriverSpec(name, BusType.PCI, false, false, new MatchRules(List.of(ids), List.of(), false),
                null, List.of());
    }
}
