package dev.iommufx.bench;

import dev.iommufx.engine.WhatIf;
import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;

/** Generated machines with SR-IOV: a generated server plus NICs whose physical functions have virtual functions. */
final class SriovMachines {
    private SriovMachines() {
    }

    /** {@code total} functions, of which {@code pfs} NICs with {@code vfsPerPf} VFs each, each NIC below its own root port. */
    static Topology generate(int total, int pfs, int vfsPerPf) {
        int extra = pfs * (2 + vfsPerPf);
        Topology base = TopologyGenerator.generate(total - extra);
        List<DeviceSpec> devices = new ArrayList<>(base.devices());
        for (int n = 0; n < pfs; n++) {
            int bus = 0xe0 + n;
            String port = String.format("fe00:%02x:00.0", n);
            devices.add(new DeviceSpec(port, BusType.PCI, null, 0x8086, 0x347a, 0x060400, null, "root port for NIC " + n,
                    TopologyGenerator.PCIEPORT, null, false, PcieType.ROOT_PORT, new Acs(0x5f, 0x1d), null, null, null));
            String pf = String.format("fe00:%02x:00.0", bus);
            devices.add(new DeviceSpec(pf, BusType.PCI, port, 0x8086, 0x1572, 0x020000, null, "X710 PF " + n, "i40e",
                    null, false, PcieType.ENDPOINT, null, null, null, null));
            for (int v = 0; v < vfsPerPf; v++) {
                devices.add(new DeviceSpec(String.format("fe00:%02x:%02x.%x", bus, 2 + v / 8, v % 8), BusType.PCI, port,
                        0x8086, 0x154c, 0x020000, null, "X710 VF " + v, "iavf", null, false, PcieType.ENDPOINT, null, null,
                        null, null, pf));
            }
        }
        List<DriverSpec> drivers = new ArrayList<>(base.drivers());
        drivers.add(DriverSpec.pciKernel("i40e", "8086:1572"));
        drivers.add(DriverSpec.pciKernel("iavf", "8086:154c"));
        Topology ungrouped = new Topology(base.name() + "-sriov", "", base.defaultDomainType(),
                devices.stream().map(d -> d.withGroup(null)).toList(), drivers, List.of());
        return WhatIf.derived(ungrouped);
    }

}
