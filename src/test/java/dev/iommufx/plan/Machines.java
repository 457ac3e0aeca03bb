package dev.iommufx.plan;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.List;

/** The machines the plan tests use: bundled topologies and hand-built ones. */
final class Machines {
    static final String GPU = "0000:01:00.0";
    static final String GPU_AUDIO = "0000:01:00.1";
    static final String XHCI = "0000:00:14.0";
    static final String SRAM = "0000:00:14.2";
    static final String SATA = "0000:00:17.0";
    static final String IGPU = "0000:00:02.0";
    static final String ONBOARD_AUDIO = "0000:00:1f.3";
    static final String NIC = "0000:03:00.0";

    private Machines() {
    }

    static Kernel boot(String topologyFile) throws Exception {
        return Kernel.boot(TopologyReader.read(Path.of("topologies", topologyFile)));
    }

    static DeviceSpec pci(String bdf, String parent, int vendor, int device, int cls, String name, String driver,
                          int group, boolean multifunction, PcieType type) {
        return new DeviceSpec(bdf, BusType.PCI, parent, vendor, device, cls, null, name, driver, group, multifunction,
                type, null, null, null, null);
    }

    /** A root port, and below it a GPU and its HDMI audio sharing group 2 (no ACS between functions). */
    static Topology gpuMachine(String gpuName, String gpuDriver, String audioName, String audioDriver,
                               List<DeviceSpec> extraDevices, List<DriverSpec> extraDrivers, String name) {
        List<DeviceSpec> devices = new java.util.ArrayList<>(List.of(
                pci("0000:00:00.0", null, 0x8086, 0x4668, 0x060000, "Host bridge", null, 0, false,
                        PcieType.RC_INTEGRATED_ENDPOINT),
                pci("0000:00:01.0", null, 0x8086, 0x460d, 0x060400, "Root port", "pcieport", 1, false,
                        PcieType.ROOT_PORT),
                pci(GPU, "0000:00:01.0", 0x10de, 0x2786, 0x030000, gpuName, gpuDriver, 2, true, PcieType.ENDPOINT),
                pci(GPU_AUDIO, "0000:00:01.0", 0x10de, 0x22bc, 0x040300, audioName, audioDriver, 2, false,
                        PcieType.ENDPOINT)));
        devices.addAll(extraDevices);
        List<DriverSpec> drivers = new java.util.ArrayList<>(List.of(DriverSpec.pcieport(),
                DriverSpec.pciKernel(gpuDriver, "10de:2786"), DriverSpec.pciKernel(audioDriver, "10de:22bc")));
        drivers.addAll(extraDrivers);
        if (drivers.stream().noneMatch(DriverSpec::vfio)) {
            drivers.add(DriverSpec.vfioPci("vfio-pci"));
        }
        int groups = devices.stream().filter(d -> d.group() != null).mapToInt(DeviceSpec::group).max().orElse(0) + 1;
        return new Topology(name, name, DomainType.DMA_FQ, devices, drivers,
                java.util.stream.IntStream.range(0, groups).mapToObj(i -> new GroupSpec(i, DomainType.DMA_FQ))
                        .toList());
    }
}
