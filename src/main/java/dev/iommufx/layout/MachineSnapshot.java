package dev.iommufx.layout;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Bdf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the structural layout needs of a booted machine, copied into plain data: the window copies it on its
 * own thread and lays it out on another; the headless renderer copies it once.
 *
 * @param name      the machine's name
 * @param functions the present devices, in address order (PCI by domain, bus, slot, function; then other buses)
 * @param states    every group's state, by group number, in group-number order
 */
public record MachineSnapshot(String name, List<Function> functions, Map<Integer, GroupState> states) {

    /** The root that stands for every device not on a PCI bus. */
    public static final String PLATFORM_ROOT = "platform";

    /**
     * One present device.
     *
     * @param id       its sysfs name ({@code 0000:01:00.0} on PCI)
     * @param parent   the device above it, or null on a root bus
     * @param root     the root bus it hangs from, as sysfs names it ({@code pci0000:00}), or {@link #PLATFORM_ROOT}
     * @param vendorDevice {@code 10de:1db1}
     * @param pciClass the 24-bit class code (0 off PCI)
     * @param label    a name for people: the device's name, or its id when it has none
     * @param driver   the driver bound now, or null
     * @param group    its IOMMU group, or null while it has none (a firmware-described device before its first
     *                 {@code dma_configure})
     * @param bridge   it has a bridge header (PCI-to-PCI or CardBus)
     */
    public record Function(String id, String parent, String root, String vendorDevice, int pciClass, String label,
                           String driver, Integer group, boolean bridge) {
    }

    public MachineSnapshot {
        functions = List.copyOf(functions);
        states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    /** The machine as the kernel has it now: present devices, their drivers and groups, the groups' states. */
    public static MachineSnapshot of(Kernel k) {
        List<Device> present = new ArrayList<>();
        for (Device d : k.devices()) {
            if (d.isPresent()) {
                present.add(d);
            }
        }
        present.sort(Comparator.comparing((Device d) -> d.bdf() == null ? new Bdf(0xfffff, 0xff, 0x1f, 7) : d.bdf())
                .thenComparing(Device::id));
        List<Function> functions = new ArrayList<>(present.size());
        for (Device d : present) {
            functions.add(new Function(d.id(), d.parent() == null ? null : d.parent().id(), rootOf(d),
                    d.spec().vendorDevice(), d.spec().pciClass(), d.spec().label(),
                    d.sysfsDriver() == null ? null : d.sysfsDriver().name(),
                    d.group() == null ? null : d.group().id(), d.spec().hasBridgeHeader()));
        }
        Map<Integer, GroupState> states = new LinkedHashMap<>();
        k.groups().stream().sorted(Comparator.comparingInt(IommuGroup::id))
                .forEach(g -> states.put(g.id(), g.state()));
        return new MachineSnapshot(k.topology().name(), functions, states);
    }

    /** The root bus above a device: its topmost ancestor's bus, as sysfs names it ({@code pci0000:00}). */
    private static String rootOf(Device d) {
        Device top = d;
        while (top.parent() != null) {
            top = top.parent();
        }
        Bdf b = top.bdf();
        return b == null ? PLATFORM_ROOT : String.format("pci%04x:%02x", b.domain(), b.bus());
    }
}
