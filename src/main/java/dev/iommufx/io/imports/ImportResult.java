package dev.iommufx.io.imports;

import dev.iommufx.model.Topology;
import java.util.List;

/**
 * What an importer made of a machine description: the machine, what it skipped or assumed on the way, and
 * whether the IOMMU groups came from the source.
 *
 * @param topology         the machine; PCI devices only
 * @param notes            what was skipped or assumed, in source order
 * @param groupsFromSource true when the source stated a group for every device (sysfs, a group listing,
 *                         libvirt); false when some or all groups are left to the engine, which derives them
 *                         with the kernel's {@code pci_device_group()} at boot
 */
public record ImportResult(Topology topology, List<ImportNote> notes, boolean groupsFromSource) {
    public ImportResult {
        if (topology == null) {
            throw new IllegalArgumentException("an import result needs a topology");
        }
        notes = List.copyOf(notes);
    }
}
