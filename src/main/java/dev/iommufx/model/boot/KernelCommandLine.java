package dev.iommufx.model.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel command line as the kernel ({@code kernel/params.c: parse_args()}) and kmod read it: words separated by
 * white space, a value in double quotes may hold spaces; {@code module.param=value} sets a module parameter (dashes
 * and underscores alike in the module name), the rest are the kernel's own parameters.
 *
 * @param words every parameter, in order, quotes removed
 */
public record KernelCommandLine(List<String> words) {
    public static final KernelCommandLine EMPTY = new KernelCommandLine(List.of());

    /** Parses a command line of at most a few KiB, in one pass. */
    public static KernelCommandLine parse(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(word.toString());
        }
        return new KernelCommandLine(List.copyOf(out));
    }

    /** The value of the last {@code name=value}, or null; a bare {@code name} gives "". */
    public String value(String name) {
        String found = null;
        for (String w : words) {
            int eq = w.indexOf('=');
            String key = eq < 0 ? w : w.substring(0, eq);
            if (key.equals(name)) {
                found = eq < 0 ? "" : w.substring(eq + 1);
            }
        }
        return found;
    }

    /**
     * The options the command line gives a module ({@code vfio-pci.ids=...} for {@code vfio_pci}): name and value,
     * in order; kmod applies them whenever it loads the module, after modprobe.d's.
     */
    public Map<String, String> moduleOptions(String module) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : words) {
            int dot = w.indexOf('.');
            int eq = w.indexOf('=');
            if (dot > 0 && (eq < 0 || dot < eq) && w.substring(0, dot).replace('-', '_').equals(module)) {
                String param = (eq < 0 ? w.substring(dot + 1) : w.substring(dot + 1, eq)).replace('-', '_');
                out.put(param, eq < 0 ? "" : w.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * The option that turns the IOMMU off, as written, or null; with it the kernel makes no IOMMU group.
     * {@code intel_iommu=} and {@code amd_iommu=} take comma-separated values and each occurrence is parsed in turn,
     * so the last one decides ({@code intel/iommu.c: intel_iommu_setup()} sets and clears {@code dmar_disabled});
     * x86's {@code iommu=off} sets {@code no_iommu} for good ({@code arch/x86/kernel/pci-dma.c: iommu_setup()}), which
     * both {@code intel_iommu_init()} and {@code amd_iommu_detect()} obey.
     */
    public String iommuTurnedOffBy() {
        for (String name : new String[] {"intel_iommu", "amd_iommu"}) {
            String v = value(name);
            if (v != null && List.of(v.split(",")).contains("off")) {
                return name + "=" + v;
            }
        }
        return list("iommu").contains("off") ? "iommu=off" : null;
    }

    /** A comma-separated list parameter ({@code modprobe.blacklist=a,b}), as written; empty when absent. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.startsWith(name + "=")) {
                for (String item : w.substring(name.length() + 1).split(",", -1)) {
                    if (!item.isEmpty()) {
                        out.add(item);
                    }
                }
            }
        }
        return out;
    }
}
