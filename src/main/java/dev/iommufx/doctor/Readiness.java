package dev.iommufx.doctor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a machine is ready for device passthrough, as far as its source tells: the IOMMU's state, each device's
 * reset methods, boot VGA flag and SR-IOV, and the findings in plain words. Every value is null where the source
 * cannot tell. This is what {@code iommufx doctor} prints and what a readiness panel shows.
 *
 * @param iommu    the machine as a whole
 * @param devices  per device id, the devices the source says something about
 * @param findings what the checks found, most serious first
 */
public record Readiness(Iommu iommu, Map<String, Device> devices, List<Finding> findings) {
    /**
     * @param enabled            whether the IOMMU translates DMA (groups exist), null: cannot tell
     * @param interruptRemapping whether interrupt remapping is on (kernel log), null: cannot tell
     * @param defaultDomainTypes the groups' default domain types ("DMA-FQ", "DMA", "identity"), empty: not known
     * @param cmdline            the kernel command line, null: not in the source
     * @param acsOverride        whether {@code pcie_acs_override=} is on the command line, null: no command line
     */
    public record Iommu(Boolean enabled, Boolean interruptRemapping, List<String> defaultDomainTypes, String cmdline,
                        Boolean acsOverride) {
        public Iommu {
            defaultDomainTypes = List.copyOf(defaultDomainTypes);
        }
    }

    /**
     * @param reset      the reset methods ("flr", "pm", "bus"...), empty: none; null: not known
     * @param bootVga    whether the firmware booted on this device's display, null: not known
     * @param sriov      the SR-IOV capability, null: none or not known
     */
    public record Device(List<String> reset, Boolean bootVga, Sriov sriov) {
        public Device {
            reset = reset == null ? null : List.copyOf(reset);
        }
    }

    /** @param enabledVfs the VFs enabled ({@code sriov_numvfs}), null: not known */
    public record Sriov(int totalVfs, Integer enabledVfs) {
    }

    public Readiness {
        devices = Collections.unmodifiableMap(new TreeMap<>(devices));
        findings = List.copyOf(findings);
    }

    /** The most serious finding's severity; OK when there is none worse. */
    public Finding.Severity worst() {
        return findings.stream().map(Finding::severity).min(Enum::compareTo).orElse(Finding.Severity.OK);
    }
}
