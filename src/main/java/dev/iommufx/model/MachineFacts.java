package dev.iommufx.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a source says about the machine beyond its devices, drivers and groups: the evidence the readiness checks
 * read (is the IOMMU on, is interrupt remapping on, how can each device be reset). It is what the source states,
 * kept as it was stated; interpreting it is the readiness checks' work. Every field is null (or empty, for the
 * maps) where the source does not tell.
 *
 * @param cmdline          the kernel command line ({@code /proc/cmdline}, the kernel log's "Command line:", or a
 *                         pasted {@code cat /proc/cmdline})
 * @param kernel           the kernel's version line ({@code /proc/version}, "Linux version ...")
 * @param iommuGroups      true: the source lists IOMMU groups; false: the source is a whole sysfs view and
 *                         {@code /sys/kernel/iommu_groups} holds none (the IOMMU is off); null: cannot tell
 * @param iommuUnits       the IOMMU units ({@code /sys/class/iommu}: dmar0, ivhd0, smmu3.0x...), empty: none
 * @param kernelLog        the kernel log's lines about the IOMMU, interrupt remapping, VFIO and the boot VGA
 *                         device, without timestamps (null: the source holds no kernel log)
 * @param moduleParameters module parameters by {@code module.parameter} ({@code vfio_pci.disable_vga} → "N")
 * @param groupTypes       the group {@code type} values the source shows ("DMA-FQ", "identity", ...), sorted
 * @param devices          per device id, what is known of it beyond the topology
 */
public record MachineFacts(String cmdline, String kernel, Boolean iommuGroups, List<String> iommuUnits,
                           List<String> kernelLog, Map<String, String> moduleParameters, List<String> groupTypes,
                           Map<String, DeviceFacts> devices) {
    /** A source that says nothing beyond the machine. */
    public static final MachineFacts NONE = new MachineFacts(null, null, null, null, null, Map.of(), null, Map.of());

    public MachineFacts {
        iommuUnits = iommuUnits == null ? null : List.copyOf(iommuUnits);
        kernelLog = kernelLog == null ? null : List.copyOf(kernelLog);
        groupTypes = groupTypes == null ? null : List.copyOf(groupTypes);
        moduleParameters = moduleParameters == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(moduleParameters));
        TreeMap<String, DeviceFacts> known = new TreeMap<>();
        if (devices != null) {
            devices.forEach((id, f) -> {
                if (f != null && !f.isEmpty()) {
                    known.put(id, f);
                }
            });
        }
        devices = Collections.unmodifiableMap(known);
    }

    /** What is known of one device; {@link DeviceFacts#NONE} when nothing is. */
    public DeviceFacts device(String id) {
        return devices.getOrDefault(id, DeviceFacts.NONE);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The same facts without the devices that are not in {@code ids} (a machine cut down, or renamed). */
    public MachineFacts onlyDevices(java.util.Set<String> ids) {
        Map<String, DeviceFacts> kept = new TreeMap<>(devices);
        kept.keySet().retainAll(ids);
        return new MachineFacts(cmdline, kernel, iommuGroups, iommuUnits, kernelLog, moduleParameters, groupTypes,
                kept);
    }
}
