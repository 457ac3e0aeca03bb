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

    /** pcieport (kernel-model §2.5): driver_managed_dma, class 0604, root, upstream and downstream ports only. */
    public static DriverSpec pcieport() {
        return new DriverSpec("pcieport", BusType.PCI, true, false, new MatchRules(List.of(), List.of("0604"), false),
                null, List.of(PcieType.ROOT_PORT, PcieType.UPSTREAM_PORT, PcieType.DOWNSTREAM_PORT));
    }

    /** pci-stub (§2.5, "pci-stub" or as a listing spells it): driver_managed_dma, binds only through driver_override. */
    public static DriverSpec pciStub(String name) {
        return overrideOnly(name, false);
    }

    /** vfio-pci or a vfio_pci_core variant ({@code mlx5_vfio_pci}, §2.5): driver_managed_dma, VFIO, override-only. */
    public static DriverSpec vfioPci(String name) {
        return overrideOnly(name, true);
    }

    private static DriverSpec overrideOnly(String name, boolean vfio) {
        return new DriverSpec(name, BusType.PCI, true, vfio, MatchRules.OVERRIDE_ONLY, null, List.of());
    }

    /** A DMA-API driver matching the given PCI vendor:device pairs. */
    public static DriverSpec pciKernel(String name, String... ids) {
        return new DriverSpec(name, BusType.PCI, false, false, new MatchRules(List.of(ids), List.of(), false),
                null, List.of());
    }
}
