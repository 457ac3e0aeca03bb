package dev.iommufx.engine;

import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The machines of kernel-model §9, with the model's group numbers:
 * S1 group 7 = {01:00.0, 01:00.1} (e1000e functions without ACS); S2 group 9 = {00:1d.0 pcieport, 02:00.0 nvme};
 * S5 group 12 = {03:00.0} (e1000e); S6 group 13 = {04:00.0} (a GPU); S8 group 15 = {05:00.0, 05:00.1, 05:00.2}.
 */
final class SpecMachines {
    static final String NIC_A = "0000:01:00.0";
    static final String NIC_B = "0000:01:00.1";
    static final String PORT_NO_ACS = "0000:00:1d.0";
    static final String NVME = "0000:02:00.0";
    static final String SINGLE_NIC = "0000:03:00.0";
    static final String GPU = "0000:04:00.0";
    static final String F0 = "0000:05:00.0";
    static final String F1 = "0000:05:00.1";
    static final String F2 = "0000:05:00.2";

    private static final Acs QEMU_ROOT_PORT_ACS = new Acs(0x005f, 0x001d);

    private SpecMachines() {
    }

    static List<DriverSpec> drivers() {
        List<DriverSpec> d = new ArrayList<>();
        d.add(DriverSpec.pcieport());
        d.add(DriverSpec.pciKernel("e1000e", "8086:10d3"));
        d.add(new DriverSpec("nvme", BusType.PCI, false, false, new MatchRules(List.of(), List.of("010802"), false),
                null, List.of()));
        d.add(DriverSpec.pciKernel("nouveau", "10de:ffff"));
        d.add(DriverSpec.pciKernel("mfd-driver", "1af4:1100"));
        d.add(DriverSpec.pciStub("pci-stub"));
        d.add(DriverSpec.vfioPci("vfio-pci"));
        return d;
    }

    static Topology spec() {
        List<DeviceSpec> devs = new ArrayList<>();
        devs.add(port("0000:00:1c.0", QEMU_ROOT_PORT_ACS, 6));
        devs.add(fn(NIC_A, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, "e1000e", 7, true));
        devs.add(fn(NIC_B, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, "e1000e", 7, false));
        devs.add(port(PORT_NO_ACS, null, 9));
        devs.add(fn(NVME, PORT_NO_ACS, 0x144d, 0xa808, 0x010802, "nvme", 9, false));
        devs.add(port("0000:00:1e.0", QEMU_ROOT_PORT_ACS, 11));
        devs.add(fn(SINGLE_NIC, "0000:00:1e.0", 0x8086, 0x10d3, 0x020000, "e1000e", 12, false));
        devs.add(port("0000:00:1b.0", QEMU_ROOT_PORT_ACS, 10));
        devs.add(fn(GPU, "0000:00:1b.0", 0x10de, 0x2786, 0x030000, "nouveau", 13, false));
        devs.add(port("0000:00:1a.0", QEMU_ROOT_PORT_ACS, 14));
        devs.add(fn(F0, "0000:00:1a.0", 0x1af4, 0x1100, 0x028000, "mfd-driver", 15, true));
        devs.add(fn(F1, "0000:00:1a.0", 0x1af4, 0x1100, 0x028000, "mfd-driver", 15, false));
        devs.add(fn(F2, "0000:00:1a.0", 0x1af4, 0x1100, 0x028000, "mfd-driver", 15, false));
        List<GroupSpec> groups = List.of(6, 7, 9, 10, 11, 12, 13, 14, 15).stream()
                .map(g -> new GroupSpec(g, DomainType.DMA_FQ)).toList();
        return new Topology("spec-§9", "", DomainType.DMA_FQ, devs, drivers(), groups);
    }

    /** §9 S7: an IOMMU without default-domain support (6.1 s390-iommu): group 0 has no default domain. */
    static Topology noDefaultDomain() {
        DeviceSpec dev = new DeviceSpec("0001:00:00.0", BusType.PCI, null, 0x1af4, 0x1100, 0x028000, null, null,
                "mfd-driver", 0, false, PcieType.ENDPOINT, null, null, null, null);
        return new Topology("s390-like", "", DomainType.DMA, List.of(dev), drivers(), List.of(new GroupSpec(0, null)));
    }

    /** The same group behind an IOMMU driver whose detach_dev turned translation off (6.1 tegra-smmu, §7c.2). */
    static Topology noDefaultDomainIdentityDetach() {
        Topology t = noDefaultDomain();
        return new Topology("tegra-smmu-like", "", t.defaultDomainType(), DomainType.IDENTITY, t.devices(),
                t.drivers(), t.groups());
    }

    /**
     * §9 S3 (Eric Auger's machine): arm64 ACPI/IORT, e1000e at 0004:01:00.0 unbound at boot, whose group 3 is
     * created only by the firmware step of its first dma_configure.
     */
    static Topology lateGroup() {
        DeviceSpec nic = new DeviceSpec("0004:01:00.0", BusType.PCI, null, 0x8086, 0x10d3, 0x020000, null, null,
                null, 3, false, PcieType.ENDPOINT, null, null, null, null, null, true);
        return new Topology("qdf2400", "", DomainType.DMA, List.of(nic), drivers(), List.of(new GroupSpec(3,
                DomainType.DMA)));
    }

    /** A platform device with no IOMMU group (a device behind no IOMMU). */
    static Topology platformWithoutGroup() {
        DeviceSpec eth = new DeviceSpec("fe300000.ethernet", BusType.PLATFORM, null, 0, 0, 0, "snps,dwmac", null,
                null, null, false, null, null, null, null, null);
        DriverSpec dwmac = new DriverSpec("stmmaceth", BusType.PLATFORM, false, false,
                new MatchRules(List.of("snps,dwmac"), List.of(), false), null, List.of());
        return new Topology("platform", "", DomainType.DMA_FQ, List.of(eth), List.of(dwmac), List.of());
    }

    private static DeviceSpec port(String bdf, Acs acs, int group) {
        return new DeviceSpec(bdf, BusType.PCI, null, 0x8086, 0x7ab8, 0x060400, null, null, "pcieport", group, false,
                PcieType.ROOT_PORT, acs, null, null, null);
    }

    private static DeviceSpec fn(String bdf, String parent, int vendor, int device, int cls, String driver, int group,
                                 boolean multifunction) {
        return new DeviceSpec(bdf, BusType.PCI, parent, vendor, device, cls, null, null, driver, group, multifunction,
                PcieType.ENDPOINT, null, null, null, null);
    }
}
