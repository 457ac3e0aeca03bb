package dev.iommufx.io.imports;

import dev.iommufx.model.Acs;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.SriovCapability;

/**
 * A PCI function as the sources describe it so far. Fields are null while no source has said anything;
 * {@link TopologyAssembler} fills the gaps and turns drafts into {@code DeviceSpec}s.
 */
final class DeviceDraft {
    final Bdf bdf;
    /** Where the function was first seen, for notes. */
    final String where;
    String parent;
    Integer vendor;
    Integer device;
    Integer pciClass;
    String name;
    String driver;
    Integer group;
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
        this.where = where;
    }

    String id() {
        return bdf.toString();
    }

    String vendorDevice() {
        return vendor == null || device == null ? null : String.format("%04x:%04x", vendor, device);
    }
}
