package dev.iommufx.io.imports;

import dev.iommufx.model.Acs;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.SriovCapability;

/**
 * A device as the sources describe it so far: a PCI function, or a member of an IOMMU group on another bus
 * (a platform device such as {@code ff8f0000.vop}). Fields are null while no source has said anything;
 * {@link TopologyAssembler} fills the gaps and turns drafts into {@code DeviceSpec}s.
 */
final class DeviceDraft {
    /** The PCI address; null for a device on another bus. */
    final Bdf bdf;
    /** The sysfs name: the address for PCI. */
    final String name;
    final BusType bus;
    /** Where the device was first seen, for notes. */
    final String where;
    String parent;
    Integer vendor;
    Integer device;
    Integer pciClass;
    /** The human name ("Intel Corporation ..."). */
    String label;
    /** The driver bound, or null for none; meaningful only when {@link #driverStated}. */
    String driver;
    /** A source said which driver is bound, or that none is; otherwise the driver is unknown. */
    boolean driverStated;
    Integer group;
    /**
     * The source names the group only as "the group of some device" ({@code ls .../0000:61:00.0/iommu_group/devices}):
     * the key of that group, numbered when the machine is built.
     */
    String unnumberedGroup;
    Boolean multifunction;
    PcieType pcieType;
    Acs acs;
    String driverOverride;
    String physfn;
    /** A physical function's SR-IOV capability, from sysfs's {@code sriov_*} files (kernel-model §6.5). */
    SriovCapability sriov;
    /** A bridge by the shape of the source (a tree branch, libvirt's {@code pci-bridge} capability). */
    boolean bridge;

    DeviceDraft(Bdf bdf, String where) {
        this.bdf = bdf;
        this.name = bdf.toString();
        this.bus = BusType.PCI;
        this.where = where;
    }

    /** A device on another bus, by its sysfs name. */
    DeviceDraft(String name, BusType bus, String where) {
        this.bdf = null;
        this.name = name;
        this.bus = bus;
        this.where = where;
    }

    String id() {
        return name;
    }

    String vendorDevice() {
        return vendor == null || device == null ? null : String.format("%04x:%04x", vendor, device);
    }
}
