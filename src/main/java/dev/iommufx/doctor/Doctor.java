package dev.iommufx.doctor;

import dev.iommufx.doctor.Finding.Severity;
import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.MachineFacts;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The readiness checks: is the IOMMU on, is interrupt remapping on, which default domains the groups have, is the
 * ACS override in use, and per device how it can be reset, whether it is the boot VGA device and its SR-IOV. Each
 * answer comes from what the machine's source states ({@link Topology#facts()}, the groups, the drivers); where the
 * source is silent the answer is null and no finding pretends otherwise.
 */
public final class Doctor {
    private Doctor() {
    }

    /** Examines a machine. */
    public static Readiness examine(Topology t) {
        MachineFacts facts = t.facts();
        KernelSigns signs = new KernelSigns(facts.cmdline(), facts.kernelLog());
        List<Finding> findings = new ArrayList<>();
        Boolean enabled = iommuEnabled(t, signs);
        IommuFindings.enabled(t, signs, enabled, findings);
        Boolean remapping = signs.interruptRemapping();
        IommuFindings.remapping(facts, signs, remapping, findings);
        List<String> types = defaultDomainTypes(facts, signs);
        IommuFindings.domains(signs, types, findings);
        Boolean acs = signs.acsOverride(facts.cmdline() != null);
        IommuFindings.acsOverride(signs, acs, findings);
        Map<String, Readiness.Device> devices = new LinkedHashMap<>();
        for (DeviceSpec d : t.devices()) {
            Readiness.Device r = device(t, d);
            if (r != null) {
                devices.put(d.id(), r);
                DeviceFindings.add(t, d, r, facts.device(d.id()), findings);
            }
        }
        if (t.devices().isEmpty()) {
            logOnly(signs, findings);
        } else {
            drivers(t, findings);
        }
        findings.sort(Comparator.comparing(Finding::severity));
        return new Readiness(new Readiness.Iommu(enabled, remapping, types, facts.cmdline(), acs), devices, findings);
    }

    /**
     * Off when the source shows no groups where the kernel would list them, or the command line turns it off and
     * no group exists; on when groups exist; null when the source lists none and does not say why.
     */
    static Boolean iommuEnabled(Topology t, KernelSigns signs) {
        if (!t.iommuEnabled() || Boolean.FALSE.equals(t.facts().iommuGroups())) {
            return false;
        }
        boolean groups = t.devices().stream().anyMatch(d -> d.group() != null)
                || Boolean.TRUE.equals(t.facts().iommuGroups());
        if (groups) {
            return true;
        }
        if (signs.turnedOffBy() != null) {
            return false;
        }
        return signs.logSaysEnabled() ? Boolean.TRUE : null;
    }

    /** The source's group types; else what the kernel log says; else none known. */
    private static List<String> defaultDomainTypes(MachineFacts facts, KernelSigns signs) {
        if (facts.groupTypes() != null && !facts.groupTypes().isEmpty()) {
            return facts.groupTypes();
        }
        String fromLog = signs.defaultDomainFromLog();
        return fromLog == null ? List.of() : List.of(fromLog);
    }

    /** What is known of a PCI device's reset, boot VGA and SR-IOV; null when nothing is. */
    private static Readiness.Device device(Topology t, DeviceSpec d) {
        DeviceFacts f = t.facts().device(d.id());
        List<String> reset = Resets.methods(t, d, f);
        Readiness.Sriov sriov = d.sriov() == null ? null
                : new Readiness.Sriov(d.sriov().totalVfs(), f.enabledVfs());
        if (reset == null && f.bootVga() == null && sriov == null && f.resettable() == null) {
            return null;
        }
        return new Readiness.Device(reset, f.bootVga(), sriov);
    }

    /** A source without devices (a kernel log, a command line): what it tells of the devices it does not list. */
    private static void logOnly(KernelSigns signs, List<Finding> findings) {
        String vga = signs.bootVgaInLog();
        if (vga != null) {
            findings.add(new Finding(Severity.INFO, vga, "The kernel log names " + vga + " the boot VGA device: the"
                    + " firmware and the host's console use it, so passing it through means keeping the host off it."));
        }
        findings.add(new Finding(Severity.INFO, null, "The source lists no device: paste a group listing (for example"
                + " find /sys/kernel/iommu_groups/ -type l, or lspci -nnk) to see the groups and plan passthrough."));
    }

    /** Drivers the source does not name, and vfio-pci not loaded yet. */
    private static void drivers(Topology t, List<Finding> findings) {
        long unknown = t.devices().stream().filter(d -> DriverSpec.isUnknown(d.driver())).count();
        if (unknown > 0) {
            findings.add(new Finding(Severity.INFO, null, "The source does not say which driver " + unknown
                    + " device" + (unknown == 1 ? " uses" : "s use") + " (shown as \"driver unknown\"): a plan"
                    + " treats each as bound to a driver that must be unbound first."));
        }
        t.drivers().stream().filter(DriverSpec::vfio).filter(d -> !d.loaded()).findFirst().ifPresent(v ->
                findings.add(new Finding(Severity.INFO, null, v.name() + " is not loaded: a plan loads it first"
                        + " (modprobe " + v.name() + ").")));
    }
}
