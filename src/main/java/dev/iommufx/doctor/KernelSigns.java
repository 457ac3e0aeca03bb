package dev.iommufx.doctor;

import dev.iommufx.model.boot.KernelCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the kernel command line and the kernel log say about the IOMMU, read word by word (no regular expressions).
 * The log lines are the ones the kernel prints in {@code drivers/iommu/intel/dmar.c}, {@code irq_remapping.c},
 * {@code drivers/iommu/amd/init.c} and {@code drivers/iommu/iommu.c: iommu_subsys_init()}.
 */
final class KernelSigns {
    private final KernelCommandLine cmdline;
    private final List<String> log;

    KernelSigns(String cmdline, List<String> log) {
        this.cmdline = cmdline == null ? KernelCommandLine.EMPTY : KernelCommandLine.parse(cmdline);
        this.log = log == null ? List.of() : log;
    }

    /** The value of {@code name=} on the command line (the last one wins, as in the kernel), or null; empty is none. */
    String option(String name) {
        String v = cmdline.value(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The command-line options that concern the IOMMU, as written. */
    List<String> iommuOptions() {
        List<String> out = new ArrayList<>();
        for (String w : cmdline.words()) {
            if (w.startsWith("intel_iommu=") || w.startsWith("amd_iommu=") || w.startsWith("iommu=")
                    || w.startsWith("iommu.") || w.startsWith("pcie_acs_override=") || w.startsWith("vfio")) {
                out.add(w);
            }
        }
        return out;
    }

    /** The {@code intel_iommu=} or {@code amd_iommu=} option that turns the IOMMU off, or null. */
    String turnedOffBy() {
        return cmdline.iommuTurnedOffBy();
    }

    /** Whether {@code iommu=pt} or {@code iommu.passthrough=1} asks for identity default domains. */
    String passthroughBy() {
        String iommu = option("iommu");
        if (iommu != null && List.of(iommu.split(",")).contains("pt")) {
            return "iommu=" + iommu;
        }
        String p = option("iommu.passthrough");
        return p != null && (p.equals("1") || p.equalsIgnoreCase("y") || p.equalsIgnoreCase("on"))
                ? "iommu.passthrough=" + p : null;
    }

    /** {@code pcie_acs_override=...} on the command line, or the kernel's warning that it is in effect. */
    Boolean acsOverride(boolean cmdlineKnown) {
        if (option("pcie_acs_override") != null || logHas("pcie acs overrides enabled")) {
            return true;
        }
        return cmdlineKnown ? false : null;
    }

    /** Interrupt remapping: on, off, or null when the log does not say. */
    Boolean interruptRemapping() {
        for (String line : log) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains("enabled irq remapping") || l.contains("interrupt remapping enabled")) {
                return true;
            }
            if (l.contains("irq remapping was disabled") || l.contains("not enabling interrupt remapping")
                    || l.contains("failed to enable irq remapping") || l.contains("disabled irq remapping")
                    || l.contains("irq remapping doesn't support")) {
                return false;
            }
        }
        return null;
    }

    /** The log line that settled interrupt remapping, for the finding's text; null when none. */
    String interruptRemappingLine() {
        for (String line : log) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.contains("irq remapping") || l.contains("interrupt remapping")) {
                return line;
            }
        }
        return null;
    }

    /**
     * The default domain type {@code iommu_subsys_init()} logs ("Default domain type: Translated" with the
     * invalidation policy "lazy mode" or "strict mode", or "Passthrough"): DMA-FQ, DMA or identity; null when
     * the log does not say.
     */
    String defaultDomainFromLog() {
        String type = null;
        String policy = null;
        for (String line : log) {
            int at = line.indexOf("Default domain type: ");
            if (at >= 0) {
                type = line.substring(at + "Default domain type: ".length()).strip();
            }
            if (line.contains("TLB invalidation policy: lazy")) {
                policy = "lazy";
            } else if (line.contains("TLB invalidation policy: strict")) {
                policy = "strict";
            }
        }
        if (type == null) {
            return null;
        }
        if (type.startsWith("Passthrough")) {
            return "identity";
        }
        return "strict".equals(policy) ? "DMA" : type.startsWith("Translated") ? "DMA-FQ" : null;
    }

    /** Whether the log says the IOMMU was enabled ("DMAR: IOMMU enabled", or devices added to groups). */
    boolean logSaysEnabled() {
        return logHas("dmar: iommu enabled") || logHas("adding to iommu group");
    }

    /**
     * Which IOMMU the log shows the firmware describing ("Intel VT-d (DMAR)", "AMD-Vi"), or null: the ACPI DMAR
     * table and its units ({@code dmar.c: dmar_parse_one_drhd()}), or AMD-Vi's IVRS ({@code amd/init.c}).
     */
    String hardwareInLog() {
        if (logHas("amd-vi") || logHas("acpi: ivrs")) {
            return "AMD-Vi";
        }
        return logHas("dmar: drhd base") || logHas("dmar: dmar") || logHas("acpi: dmar") ? "Intel VT-d (DMAR)" : null;
    }

    /**
     * The device the log's last "vgaarb: setting as boot VGA device" line names ({@code vgaarb.c}: a later one says
     * "overriding previous"), or null.
     */
    String bootVgaInLog() {
        String device = null;
        for (String line : log) {
            int at = line.indexOf(": vgaarb: setting as boot VGA device");
            if (at > 0) {
                int start = line.lastIndexOf(' ', at - 1) + 1;
                device = line.substring(start, at);
            }
        }
        return device;
    }

    private boolean logHas(String lowerCase) {
        return log.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains(lowerCase));
    }
}
