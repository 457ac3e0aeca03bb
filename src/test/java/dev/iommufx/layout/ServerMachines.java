package dev.iommufx.layout;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.imports.GroupListingImporter;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real servers from the import test data, and made-up machines with the shapes the structural layout folds and
 * collapses. {@code main(OUT)} writes the Sapphire Rapids server as a group listing, for the command-line
 * benchmarks.
 */
public final class ServerMachines {
    public static final String SAPPHIRE_RAPIDS = "/imports/listings/per-iommu-tree-ethanzhf-sapphire-rapids.txt";
    public static final String DGX2 = "/imports/xml/hwloc-nvidia-dgx2.xml";
    public static final String VIC = "/imports/xml/hwloc-16intel64-manyvfs.xml";

    private ServerMachines() {
    }

    /** The real 2-socket Sapphire Rapids server: 462 groups, 483 functions, every device on a root bus. */
    public static Kernel sapphireRapids() throws Exception {
        Topology t = GroupListingImporter.importText(sapphireRapidsListing(), "sapphire-rapids.txt").topology();
        return Kernel.boot(t);
    }

    /**
     * The server's per-DMAR-unit listing ({@code IOMMU Group: N} then {@code Group Device: ADDR - lspci text},
     * each member repeated once per member) as the group loop prints it: {@code IOMMU Group N:} then
     * {@code \tADDR lspci text}, each member once. The importers do not read the per-unit form yet.
     */
    public static String sapphireRapidsListing() throws IOException {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String group = null;
        for (String line : resourceText(SAPPHIRE_RAPIDS).split("\n")) {
            String t = line.strip();
            if (t.startsWith("IOMMU Group:")) {
                group = t.substring("IOMMU Group:".length()).strip();
                out.append("IOMMU Group ").append(group).append(":\n");
            } else if (t.startsWith("Group Device:") && t.contains(" - ")) {
                String rest = t.substring("Group Device:".length()).strip();
                int dash = rest.indexOf(" - ");
                if (seen.add(group + " " + rest.substring(0, dash))) {
                    out.append('\t').append(rest, 0, dash).append(' ').append(rest.substring(dash + 3)).append('\n');
                }
            }
        }
        return out.toString();
    }

    public static Kernel hwloc(String resource) throws Exception {
        return Kernel.boot(Importers.open(resourcePath(resource)).topology());
    }

    public static Path resourcePath(String resource) throws URISyntaxException {
        return Path.of(ServerMachines.class.getResource(resource).toURI());
    }

    private static String resourceText(String resource) throws IOException {
        try (InputStream in = ServerMachines.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code gpus} GPUs on root bus 00, each behind its own root port (each port alone in a bridge-only group,
     * each GPU alone in its group), all on nouveau but those listed in {@code onVfio}, which vfio-pci has.
     */
    static Topology gpuServer(int gpus, List<Integer> onVfio) {
        List<DeviceSpec> devs = new ArrayList<>();
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            String port = String.format("0000:00:%02x.0", i + 1);
            String gpu = String.format("0000:%02x:00.0", i + 1);
            devs.add(DeviceSpec.pci(port, null, 0x8086, 0x347a, 0x060400, "pcieport", 2 * i, PcieType.ROOT_PORT));
            devs.add(DeviceSpec.pci(gpu, port, 0x10de, 0x1db8, 0x030200, onVfio.contains(i) ? "vfio-pci" : "nouveau",
                    2 * i + 1, PcieType.ENDPOINT));
            groups.add(new GroupSpec(2 * i, DomainType.DMA_FQ));
            groups.add(new GroupSpec(2 * i + 1, DomainType.DMA_FQ));
        }
        return new Topology("gpu-server", "", DomainType.DMA_FQ, devs, drivers(), groups);
    }

    /**
     * A path of {@code bridges} PCIe bridges below root bus 00, each in its own group when {@code ownGroups}
     * (else all in group 0), then an NVMe SSD at the end in the last group.
     */
    static Topology bridgePath(int bridges, boolean ownGroups) {
        List<DeviceSpec> devs = new ArrayList<>();
        List<GroupSpec> groups = new ArrayList<>();
        String parent = null;
        for (int i = 0; i <= bridges; i++) {
            String id = String.format("0000:%02x:%02x.%d", i / 256, i % 32, (i / 32) % 8);
            int group = ownGroups ? i : 0;
            boolean last = i == bridges;
            devs.add(DeviceSpec.pci(id, parent, last ? 0x144d : 0x10b5, last ? 0xa808 : 0x9781,
                    last ? 0x010802 : 0x060400, last ? "nvme" : "pcieport", group,
                    last ? PcieType.ENDPOINT : PcieType.DOWNSTREAM_PORT));
            if (ownGroups || i == 0) {
                groups.add(new GroupSpec(group, DomainType.DMA_FQ));
            }
            parent = id;
        }
        return new Topology("bridge-path", "", DomainType.DMA_FQ, devs, drivers(), groups);
    }

    private static List<DriverSpec> drivers() {
        return List.of(DriverSpec.pcieport(), DriverSpec.pciKernel("nouveau", "10de:1db8"),
                DriverSpec.pciKernel("nvme", "144d:a808"), DriverSpec.vfioPci("vfio-pci"));
    }

    /** Writes the Sapphire Rapids server as a group listing: {@code ServerMachines OUT.txt}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), sapphireRapidsListing());
    }
}
