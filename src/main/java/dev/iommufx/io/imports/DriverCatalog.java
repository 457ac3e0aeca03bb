package dev.iommufx.io.imports;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.MatchRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The drivers of an imported machine: every driver name seen, with the well-known ones made right
 * (kernel-model §2.5): vfio-pci and its vendor variants ({@code mlx5_vfio_pci}, ...) are
 * {@code driver_managed_dma}, register with VFIO and bind only through {@code driver_override}; pci-stub is
 * {@code driver_managed_dma} and override-only; pcieport is {@code driver_managed_dma}, matches class 0604
 * and probes only root, upstream and downstream ports. Every other driver is a DMA-API driver whose ID table
 * is the vendor:device pairs of the functions it was seen bound to. vfio-pci is always there: registered if the source
 * shows it, otherwise as a module that is not loaded. Devices whose driver the source does not state are bound to
 * the stand-in {@link DriverSpec#UNKNOWN} of their bus.
 */
final class DriverCatalog {
    static final String PCIEPORT = "pcieport";
    static final String PCI_STUB = "pci-stub";
    static final String VFIO_PCI = "vfio-pci";

    private DriverCatalog() {
    }

    /**
     * @param registered drivers the source lists as registered ({@code sys/bus/pci/drivers}), in order
     * @param devices    the functions, whose drivers and IDs fill the ID tables
     * @return pcieport first, then the DMA-API drivers in the order first seen, then pci-stub and the VFIO
     *         drivers (override-only drivers never match by table, so their place does not change autoprobe)
     */
    static List<DriverSpec> build(Collection<String> registered, Collection<DeviceDraft> devices) {
        Map<String, TreeSet<String>> ids = new LinkedHashMap<>();
        for (String name : registered) {
            ids.putIfAbsent(name, new TreeSet<>());
        }
        Set<BusType> unknownOn = EnumSet.noneOf(BusType.class);
        for (DeviceDraft d : devices) {
            if (!d.driverStated) {
                unknownOn.add(d.bus);
            } else if (d.driver != null && d.bus == BusType.PCI) {
                TreeSet<String> table = ids.computeIfAbsent(d.driver, k -> new TreeSet<>());
                if (d.vendorDevice() != null) {
                    table.add(d.vendorDevice());
                }
            }
        }
        List<DriverSpec> first = new ArrayList<>();
        List<DriverSpec> middle = new ArrayList<>();
        List<DriverSpec> last = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : ids.entrySet()) {
            String name = e.getKey();
            if (name.equals(PCIEPORT)) {
                first.add(DriverSpec.pcieport());
            } else if (isPciStub(name)) {
                last.add(DriverSpec.pciStub(name));
            } else if (isVfioPci(name)) {
                last.add(DriverSpec.vfioPci(name));
            } else {
                middle.add(new DriverSpec(name, BusType.PCI, false, false,
                        new MatchRules(List.copyOf(e.getValue()), List.of(), false), null, List.of()));
            }
        }
        if (last.stream().noneMatch(d -> d.name().equals(VFIO_PCI))) {
            // every distribution kernel ships vfio-pci as a module; a source that does not show it registered
            // describes a machine where it is not loaded yet (kernel-model §2.6): modprobe loads it
            last.add(DriverSpec.vfioPci(VFIO_PCI).withLoaded(false));
        }
        List<DriverSpec> out = new ArrayList<>(first);
        out.addAll(middle);
        unknownOn.forEach(bus -> out.add(DriverSpec.unknown(bus)));
        out.addAll(last);
        return out;
    }

    /** vfio-pci and the {@code vfio_pci_core} variant drivers (mlx5_vfio_pci, hisi_acc_vfio_pci, ...). */
    static boolean isVfioPci(String name) {
        String n = name.replace('_', '-');
        return n.equals(VFIO_PCI) || n.endsWith("-" + VFIO_PCI);
    }

    static boolean isPciStub(String name) {
        return name.replace('_', '-').equals(PCI_STUB);
    }
}
