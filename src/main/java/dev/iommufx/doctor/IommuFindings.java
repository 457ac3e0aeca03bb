package dev.iommufx.doctor;

import dev.iommufx.doctor.Finding.Severity;
import dev.iommufx.model.MachineFacts;
import dev.iommufx.model.Topology;
import java.util.List;

/** The machine-wide findings: the IOMMU, interrupt remapping, default domains, the ACS override. */
final class IommuFindings {
    private IommuFindings() {
    }

    static void enabled(Topology t, KernelSigns signs, Boolean enabled, List<Finding> out) {
        MachineFacts f = t.facts();
        if (Boolean.FALSE.equals(enabled)) {
            String why = signs.turnedOffBy() != null ? " The kernel command line turns it off (" + signs.turnedOffBy()
                    + "): remove that option."
                    : f.iommuUnits() != null && !f.iommuUnits().isEmpty()
                    ? " The firmware describes IOMMU units (" + String.join(", ", f.iommuUnits()) + ") but the kernel"
                    + " does not translate through them: add intel_iommu=on (Intel) to the kernel command line."
                    : " Turn on VT-d (Intel) or IOMMU/AMD-Vi (AMD) in the firmware setup; on Intel also add"
                    + " intel_iommu=on to the kernel command line if your kernel does not enable it by default.";
            out.add(new Finding(Severity.ERROR, null, "The IOMMU is off: the kernel made no IOMMU group, so vfio-pci"
                    + " cannot take any device (VFIO needs each device's group)." + why));
        } else if (Boolean.TRUE.equals(enabled)) {
            long groups = t.devices().stream().map(d -> d.group()).filter(g -> g != null).distinct().count();
            out.add(new Finding(Severity.OK, null, "The IOMMU is on" + (groups > 0 ? ": " + groups + " IOMMU group"
                    + (groups == 1 ? "" : "s") + "." : ".")));
        } else if ("AMD-Vi".equals(signs.hardwareInLog())) {
            out.add(new Finding(Severity.INFO, null, "The kernel log shows AMD-Vi, which the kernel turns on by"
                    + " default; the source lists no IOMMU groups to confirm it: check that /sys/kernel/iommu_groups"
                    + " is not empty."));
        } else if (signs.hardwareInLog() != null) {
            out.add(new Finding(Severity.WARNING, null, "The kernel log shows the firmware's " + signs.hardwareInLog()
                    + " tables but no \"DMAR: IOMMU enabled\" line: unless the whole log has it, the kernel does not"
                    + " translate DMA and makes no IOMMU group. Add intel_iommu=on to the kernel command line (and"
                    + " check that /sys/kernel/iommu_groups is not empty after the reboot)."));
        } else {
            out.add(new Finding(Severity.INFO, null, "The source does not say whether the IOMMU is on (it lists no"
                    + " IOMMU groups): check that /sys/kernel/iommu_groups is not empty."));
        }
        if (!signs.iommuOptions().isEmpty()) {
            out.add(new Finding(Severity.INFO, null, "Kernel command line options about the IOMMU: "
                    + String.join(" ", signs.iommuOptions()) + "."));
        }
    }

    static void remapping(MachineFacts f, KernelSigns signs, Boolean remapping, List<Finding> out) {
        String unsafe = f.moduleParameters().get("vfio_iommu_type1.allow_unsafe_interrupts");
        boolean allowed = unsafe != null && (unsafe.equals("Y") || unsafe.equals("1"));
        if (Boolean.FALSE.equals(remapping)) {
            out.add(new Finding(allowed ? Severity.WARNING : Severity.ERROR, null, "Interrupt remapping is off (kernel"
                    + " log: \"" + signs.interruptRemappingLine() + "\"): VFIO refuses to attach a device to a VM"
                    + (allowed ? "; vfio_iommu_type1.allow_unsafe_interrupts is set, so it does, but a guest can then"
                    + " forge interrupts to the host." : " unless vfio_iommu_type1.allow_unsafe_interrupts=1, which"
                    + " lets a guest forge interrupts to the host.")));
        } else if (Boolean.TRUE.equals(remapping)) {
            out.add(new Finding(Severity.OK, null, "Interrupt remapping is on."));
        } else if (f.kernelLog() == null) {
            out.add(new Finding(Severity.INFO, null, "The source holds no kernel log: whether interrupt remapping is"
                    + " on is not known (dmesg | grep -i remapping tells)."));
        }
        if (allowed && !Boolean.FALSE.equals(remapping)) {
            out.add(new Finding(Severity.WARNING, null, "vfio_iommu_type1.allow_unsafe_interrupts is set: VFIO"
                    + " would attach devices even without interrupt remapping."));
        }
    }

    static void domains(KernelSigns signs, List<String> types, List<Finding> out) {
        if (types.contains("identity")) {
            String by = signs.passthroughBy();
            out.add(new Finding(Severity.INFO, null, "Groups have the identity (passthrough) default domain"
                    + (by != null ? " (" + by + ")" : "") + ": devices the host keeps do DMA untranslated. That is"
                    + " fine for passthrough: VFIO gives an assigned group its own translated domain."));
        } else if (!types.isEmpty()) {
            out.add(new Finding(Severity.OK, null, "Default domains: " + String.join(", ", types) + " (translated"
                    + (types.contains("DMA-FQ") ? "; DMA-FQ is lazy invalidation" : "") + ")."));
        }
    }

    static void acsOverride(KernelSigns signs, Boolean acs, List<Finding> out) {
        if (Boolean.TRUE.equals(acs)) {
            String v = signs.option("pcie_acs_override");
            out.add(new Finding(Severity.WARNING, null, "The ACS override is in use"
                    + (v != null ? " (pcie_acs_override=" + v + ")" : "") + ". It is an out-of-tree patch, not in"
                    + " mainline Linux: it makes the kernel treat devices as isolated that the hardware does not"
                    + " isolate, so the groups are smaller than the real isolation, and a device passed to a VM may"
                    + " still reach its former group mates by peer-to-peer DMA."));
        }
    }
}
