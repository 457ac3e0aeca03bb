package dev.iommufx.model;

/**
 * One device as a topology file describes it at boot.
 *
 * @param id             PCI devices: their address {@code DDDD:BB:DD.F}; other buses: the sysfs name
 * @param bus            the bus the device sits on
 * @param parent         id of the bridge or device above, or null on a root bus
 * @param vendor         16-bit vendor ID (PCI), or 0
 * @param device         16-bit device ID (PCI), or 0
 * @param pciClass       24-bit class code (PCI), or 0
 * @param compatible     match string for non-PCI buses (devicetree {@code compatible}), or null
 * @param name           human name, e.g. "RTX 4070 HDMI audio", or null
 * @param driver         the driver bound at boot, or null
 * @param group          the kernel's IOMMU group number, or null to derive it
 * @param multifunction  the multifunction bit of the header type register
 * @param pcieType       the PCIe capability's port type, or null for conventional PCI
 * @param acs            the ACS capability, or null if the function has none
 * @param driverOverride the {@code driver_override} value at boot, or null
 * @param requiredDomain the default-domain type the IOMMU driver demands for this device
 *                       ({@code ops->def_domain_type}, or DMA for {@code untrusted} devices), or null
 * @param quirks         grouping quirks; never null ({@link PciQuirks#NONE})
 * @param physfn         for an SR-IOV virtual function: the id of its physical function; else null
 * @param groupAtDmaConfigure the device is described by ACPI/IORT or devicetree and gets its IOMMU group only
 *                       when the firmware step of its first {@code dma_configure} runs (kernel-model §7a)
 * @param sriov          a physical function's SR-IOV capability, or null (kernel-model §6.5)
 */
public record DeviceSpec(
        String id,
        BusType bus,
        String parent,
        int vendor,
        int device,
        int pciClass,
        String compatible,
        String name,
        String driver,
        Integer group,
        boolean multifunction,
        PcieType pcieType,
        Acs acs,
        String driverOverride,
        DomainType requiredDomain,
        PciQuirks quirks,
        String physfn,
        boolean groupAtDmaConfigure,
        SriovCapability sriov) {

    public DeviceSpec {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("device id is empty");
        }
        if (bus == null) {
            throw new IllegalArgumentException("device " + id + " has no bus");
        }
        if (bus == BusType.PCI && Bdf.parseOrNull(id) == null) {
            throw new IllegalArgumentException("PCI device id is not DDDD:BB:DD.F: " + id);
        }
        quirks = quirks == null ? PciQuirks.NONE : quirks;
    }

    /** A device without an SR-IOV capability. */
    public DeviceSpec(String id, BusType bus, String parent, int vendor, int device, int pciClass, String compatible,
                      String name, String driver, Integer group, boolean multifunction, PcieType pcieType, Acs acs,
                      String driverOverride, DomainType requiredDomain, PciQuirks quirks, String physfn,
                      boolean groupAtDmaConfigure) {
        this(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group, multifunction, pcieType, acs,
                driverOverride, requiredDomain, quirks, physfn, groupAtDmaConfigure, null);
    }

    /** A device whose group exists from boot. */
    public DeviceSpec(String id, BusType bus, String parent, int vendor, int device, int pciClass, String compatible,
                      String name, String driver, Integer group, boolean multifunction, PcieType pcieType, Acs acs,
                      String driverOverride, DomainType requiredDomain, PciQuirks quirks, String physfn) {
        this(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group, multifunction, pcieType, acs,
                driverOverride, requiredDomain, quirks, physfn, false);
    }

    /** A device that is not an SR-IOV virtual function. */
    public DeviceSpec(String id, BusType bus, String parent, int vendor, int device, int pciClass, String compatible,
                      String name, String driver, Integer group, boolean multifunction, PcieType pcieType, Acs acs,
                      String driverOverride, DomainType requiredDomain, PciQuirks quirks) {
        this(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group, multifunction, pcieType, acs,
                driverOverride, requiredDomain, quirks, null, false);
    }

    public boolean isVirtfn() {
        return physfn != null;
    }

    /** A PCI function with the usual defaults, for generators and tests. */
    public static DeviceSpec pci(String bdf, String parent, int vendor, int device, int pciClass,
                                 String driver, Integer group, PcieType type) {
        return new DeviceSpec(bdf, BusType.PCI, parent, vendor, device, pciClass, null, null, driver, group,
                false, type, null, null, null, null);
    }

    public Bdf bdf() {
        return bus == BusType.PCI ? Bdf.parse(id) : null;
    }

    /** Type 1 (bridge) or type 2 (CardBus) header, from the class code: PCI-to-PCI and CardBus bridges. */
    public boolean hasBridgeHeader() {
        int baseSub = pciClass >> 8;
        return bus == BusType.PCI && (baseSub == 0x0604 || baseSub == 0x0609 || baseSub == 0x0607);
    }

    public DeviceSpec withGroup(Integer newGroup) {
        return new DeviceSpec(id, bus, parent, vendor, device, pciClass, compatible, name, driver, newGroup,
                multifunction, pcieType, acs, driverOverride, requiredDomain, quirks, physfn, groupAtDmaConfigure,
                sriov);
    }

    public DeviceSpec withAcs(Acs newAcs) {
        return new DeviceSpec(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group,
                multifunction, pcieType, newAcs, driverOverride, requiredDomain, quirks, physfn, groupAtDmaConfigure,
                sriov);
    }

    /** The same device, grouped when it is added rather than at its first dma_configure. */
    public DeviceSpec withoutLateGroup() {
        return new DeviceSpec(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group,
                multifunction, pcieType, acs, driverOverride, requiredDomain, quirks, physfn, false, sriov);
    }

    /** The same device with an SR-IOV capability (a physical function). */
    public DeviceSpec withSriov(SriovCapability capability) {
        return new DeviceSpec(id, bus, parent, vendor, device, pciClass, compatible, name, driver, group,
                multifunction, pcieType, acs, driverOverride, requiredDomain, quirks, physfn, groupAtDmaConfigure,
                capability);
    }

    /** "1b36:000c" style vendor:device pair. */
    public String vendorDevice() {
        return String.format("%04x:%04x", vendor, device);
    }

    /** A label for people: the name if known, else the id and class. */
    public String label() {
        return name != null ? name : id;
    }
}
