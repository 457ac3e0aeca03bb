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
 * @param module           the module that registers the driver ({@code vfio_pci} for vfio-pci): what {@code modprobe}
 *                         and {@code rmmod} name, with underscores as the kernel names modules
 * @param builtin          the driver is built into the kernel: registered at boot, never unloaded
 * @param loaded           the driver is registered when the machine is described; false: its module is on disk, not
 *                         loaded, so the driver has no directory in sysfs until {@code modprobe} (kernel-model §2.6)
 */
public record DriverSpec(
        String name,
        BusType bus,
        boolean driverManagedDma,
        boolean vfio,
        MatchRules match,
        String probeErrno,
        List<PcieType> pcieTypes,
        String module,
        boolean builtin,
        boolean loaded) {

    /**
     * The name of the stand-in driver for a device whose source does not say which driver it is bound to, or
     * whether any: parentheses, which no kernel driver name has. It is a DMA-API driver that matches no device, so
     * the engine counts its devices as DMA-API users (the cautious reading: if a driver is bound, a user claim
     * of the group fails until it leaves) and nothing ever binds to it.
     */
    public static final String UNKNOWN = "(unknown)";

    public DriverSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("driver name is empty");
        }
        if (bus == null) {
            throw new IllegalArgumentException("driver " + name + " has no bus");
        }
        match = match == null ? MatchRules.OVERRIDE_ONLY : match;
        pcieTypes = pcieTypes == null ? List.of() : List.copyOf(pcieTypes);
        module = module == null || module.isEmpty() ? moduleName(name) : moduleName(module);
        if (builtin && !loaded) {
            throw new IllegalArgumentException("driver " + name + " is built in, so it is always registered");
        }
    }

    /** A loaded, modular driver whose module is named after it. */
    public DriverSpec(String name, BusType bus, boolean driverManagedDma, boolean vfio, MatchRules match,
                      String probeErrno, List<PcieType> pcieTypes) {
        this(name, bus, driverManagedDma, vfio, match, probeErrno, pcieTypes, null, false, true);
    }

    /**
     * Whether a driver of this name is built in unless a topology says otherwise: pcieport is part of the PCI core
     * ({@code CONFIG_PCIEPORTBUS} is bool), so it cannot be a module; the {@link #UNKNOWN} stand-in is no module
     * either, so {@code rmmod} cannot take it away.
     */
    public static boolean builtinByDefault(String name) {
        return name.equals("pcieport") || isUnknown(name);
    }

    /** How the kernel names a module: dashes become underscores (KBUILD_MODNAME), so vfio-pci is vfio_pci. */
    public static String moduleName(String name) {
        return name.replace('-', '_');
    }

    /** The same driver, registered or not when the machine is described. */
    public DriverSpec withLoaded(boolean isLoaded) {
        return new DriverSpec(name, bus, driverManagedDma, vfio, match, probeErrno, pcieTypes, module, builtin,
                isLoaded);
    }

    /** The stand-in for drivers a source does not name, on one bus ({@link #UNKNOWN}). */
    public static DriverSpec unknown(BusType bus) {
        return new DriverSpec(UNKNOWN, bus, false, false, new MatchRules(List.of(), List.of(), false), null,
                List.of(), null, true, true);
    }

    /** Whether a driver name is the stand-in for a driver the source does not name. */
    public static boolean isUnknown(String name) {
        return UNKNOWN.equals(name);
    }

    /** pcieport (kernel-model §2.5): driver_managed_dma, class 0604, root, upstream and downstream ports only. */
    public static DriverSpec pcieport() {
        return new DriverSpec("pcieport", BusType.PCI, true, false, new MatchRules(List.of(), List.of("0604"), false),
                null, List.of(PcieType.ROOT_PORT, PcieType.UPSTREAM_PORT, PcieType.DOWNSTREAM_PORT), null, true, true);
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
