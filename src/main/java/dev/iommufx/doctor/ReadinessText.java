package dev.iommufx.doctor;

import java.util.List;

/**
 * The readiness answers in the words both the {@code doctor} command and the window's Readiness panel use, so that
 * the two never disagree: "on", "off" or "not known" for the machine, and one line per device.
 */
public final class ReadinessText {
    private ReadinessText() {
    }

    /** The machine-wide answers as label and value, in the order a user reads them. */
    public static List<String[]> machine(Readiness.Iommu i) {
        return List.of(
                new String[] {"IOMMU", yesNo(i.enabled(), "on", "off")},
                new String[] {"interrupt remapping", yesNo(i.interruptRemapping(), "on", "off")},
                new String[] {"default domains", i.defaultDomainTypes().isEmpty() ? "not known"
                        : String.join(", ", i.defaultDomainTypes())},
                new String[] {"ACS override", yesNo(i.acsOverride(), "in use", "not in use")},
                new String[] {"command line", i.cmdline() == null ? "not in the source" : i.cmdline()});
    }

    /** What is known of one device: "reset: flr, bus; boot VGA: yes; SR-IOV: 7 VFs, 0 enabled". */
    public static String device(Readiness.Device d) {
        String reset = d.reset() == null ? "not known" : d.reset().isEmpty() ? "none" : String.join(", ", d.reset());
        StringBuilder b = new StringBuilder("reset: " + reset);
        if (d.bootVga() != null) {
            b.append("; boot VGA: ").append(d.bootVga() ? "yes" : "no");
        }
        if (d.sriov() != null) {
            b.append("; SR-IOV: ").append(d.sriov().totalVfs()).append(" VFs")
                    .append(d.sriov().enabledVfs() == null ? "" : ", " + d.sriov().enabledVfs() + " enabled");
        }
        return b.toString();
    }

    /** "2 errors, 1 warning" for the findings worse than information; "no problem found" when there is none. */
    public static String tally(Readiness r) {
        long errors = r.findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        long warnings = r.findings().stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        if (errors == 0 && warnings == 0) {
            return "no problem found";
        }
        String e = errors == 0 ? "" : errors + (errors == 1 ? " error" : " errors");
        String w = warnings == 0 ? "" : warnings + (warnings == 1 ? " warning" : " warnings");
        return e.isEmpty() ? w : w.isEmpty() ? e : e + ", " + w;
    }

    private static String yesNo(Boolean b, String yes, String no) {
        return b == null ? "not known" : b ? yes : no;
    }
}
