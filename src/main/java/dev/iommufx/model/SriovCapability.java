package dev.iommufx.model;

/**
 * A physical function's SR-IOV extended capability, as {@code drivers/pci/iov.c: sriov_init()} reads it and sysfs
 * shows it ({@code sriov_totalvfs}, {@code sriov_offset}, {@code sriov_stride}, {@code sriov_vf_device}).
 * Virtual function n (from 0) has the routing ID of the PF plus {@code firstVfOffset + n * vfStride}
 * ({@code pci_iov_virtfn_bus()}, {@code pci_iov_virtfn_devfn()}).
 *
 * @param totalVfs         TotalVFs: how many VFs the PF can enable
 * @param firstVfOffset    First VF Offset, in routing IDs
 * @param vfStride         VF Stride, in routing IDs
 * @param vfDeviceId       VF Device ID (the VFs share the PF's vendor and class)
 * @param driversAutoprobe {@code sriov_drivers_autoprobe} at boot: whether new VFs are probed by drivers
 */
public record SriovCapability(int totalVfs, int firstVfOffset, int vfStride, int vfDeviceId,
                              boolean driversAutoprobe) {
    public SriovCapability {
        if (totalVfs < 1 || totalVfs > 0xffff || firstVfOffset < 1 || firstVfOffset > 0xffff || vfStride < 0
                || vfStride > 0xffff || vfDeviceId < 0 || vfDeviceId > 0xffff) {
            throw new IllegalArgumentException("SR-IOV capability out of range");
        }
    }

    /**
     * The address of virtual function n (from 0) of the PF at {@code pf}: routing ID {@code bus << 8 | devfn}
     * plus offset and stride, carried into the bus number; null when it runs past bus 255.
     */
    public Bdf virtfnAddress(Bdf pf, int n) {
        int rid = (pf.bus() << 8 | pf.devfn()) + firstVfOffset + n * vfStride;
        if (rid > 0xffff) {
            return null;
        }
        return new Bdf(pf.domain(), rid >> 8, (rid >> 3) & 0x1f, rid & 7);
    }

    /**
     * Virtual function n (from 0) of a PF as the kernel adds it ({@code pci_iov_add_virtfn()}): at its address, on
     * the PF's bus (under the same bridge), with the PF's vendor and class, the VF device ID, a PCIe endpoint if
     * the PF is PCIe, no multifunction bit, and {@code physfn} naming the PF; null past bus 255.
     */
    public DeviceSpec virtfn(DeviceSpec pf, int n) {
        Bdf at = virtfnAddress(pf.bdf(), n);
        if (at == null) {
            return null;
        }
        String name = pf.name() == null ? null : pf.name() + " (virtual function " + n + ")";
        return new DeviceSpec(at.toString(), BusType.PCI, pf.parent(), pf.vendor(), vfDeviceId, pf.pciClass(), null,
                name, null, null, false, pf.pcieType() == null ? null : PcieType.ENDPOINT, null, null, null, null,
                pf.id(), false);
    }
}
