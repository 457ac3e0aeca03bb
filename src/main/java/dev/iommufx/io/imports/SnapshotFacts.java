package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.DeviceFacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sysfs snapshot (or the live machine) says beside its devices, for the readiness checks: per device
 * {@code reset_method}, {@code boot_vga} and {@code sriov_numvfs}; for the machine {@code proc/cmdline},
 * {@code proc/version}, {@code sys/class/iommu}, {@code sys/module/vfio*}{@code /parameters} and the kernel log
 * {@code collect-iommu-snapshot} saves as {@code dmesg.txt} at the archive's root. Older snapshots lack some of
 * these: what is absent stays unknown.
 */
final class SnapshotFacts {
    /** Bytes of {@code dmesg.txt} read (the kernel's log buffer is 1 MiB at most in the usual configurations). */
    private static final int LOG_BYTES = 1 << 20;

    private SnapshotFacts() {
    }

    /** One PCI device's {@code reset_method}, {@code boot_vga} and {@code sriov_numvfs}. */
    static void device(FileTree tree, String dir, DeviceDraft d, TopologyAssembler asm) {
        FactsDraft facts = asm.facts();
        String methods = tree.text(dir + "/reset_method");
        if (methods != null) {
            facts.reset(d.id(), words(methods), DeviceFacts.ResetSource.RESET_METHOD);
        }
        String vga = tree.text(dir + "/boot_vga");
        if ("1".equals(vga) || "0".equals(vga)) {
            facts.bootVga(d.id(), vga.equals("1"));
        }
        String vfs = tree.text(dir + "/sriov_numvfs");
        if (vfs != null && !vfs.isEmpty() && vfs.length() <= 5 && vfs.chars().allMatch(Character::isDigit)
                && Integer.parseInt(vfs) <= 0xffff) {
            facts.enabledVfs(d.id(), Integer.parseInt(vfs));
        }
    }

    /**
     * The machine's facts, and the reset methods of devices without a {@code reset_method} file: none when other
     * devices have one (the kernel shows it only where it found a method), else what their configuration space
     * shows ({@code configResets}).
     */
    static void read(FileTree tree, String sys, TopologyAssembler asm, Map<String, List<String>> configResets) {
        FactsDraft facts = asm.facts();
        String root = sys.endsWith("sys/") ? sys.substring(0, sys.length() - "sys/".length()) : null;
        if (root != null) {
            facts.cmdline(tree.text(root + "proc/cmdline"));
            facts.kernel(tree.text(root + "proc/version"));
            kernelLog(tree.bytes(root + "dmesg.txt", LOG_BYTES), asm);
        }
        if (tree.kindResolved(sys + "class/iommu") == FileTree.Kind.DIR) {
            facts.iommuUnit(null);
            tree.names(sys + "class/iommu").forEach(facts::iommuUnit);
        }
        for (String module : tree.names(sys + "module")) {
            if (module.startsWith("vfio")) {
                for (String p : tree.names(sys + "module/" + module + "/parameters")) {
                    String value = tree.text(sys + "module/" + module + "/parameters/" + p);
                    if (value != null) {
                        facts.parameter(module, p, value);
                    }
                }
            }
        }
        boolean kernelLists = asm.pciDevices().stream()
                .anyMatch(d -> facts.device(d.id()).resetFrom() == DeviceFacts.ResetSource.RESET_METHOD);
        for (DeviceDraft d : asm.pciDevices()) {
            if (facts.device(d.id()).resetFrom() == null) {
                if (kernelLists) {
                    facts.reset(d.id(), List.of(), DeviceFacts.ResetSource.RESET_METHOD);
                } else if (configResets.containsKey(d.id())) {
                    facts.reset(d.id(), configResets.get(d.id()), DeviceFacts.ResetSource.CONFIG_SPACE);
                }
            }
        }
    }

    private static void kernelLog(byte[] bytes, TopologyAssembler asm) {
        if (bytes == null) {
            return;
        }
        FactsDraft facts = asm.facts();
        facts.hasLog();
        String text = new String(bytes, StandardCharsets.UTF_8);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            for (String m : KernelLog.records(text.substring(start, end))) {
                KernelLog.collectFacts(m, facts);
                String vga = KernelLog.bootVgaDevice(m);
                Bdf bdf = Bdf.parseOrNull(vga);
                if (bdf != null) {
                    facts.bootVgaFromLog(bdf.toString());
                }
            }
            start = end + 1;
        }
    }

    /** The space-separated words of a sysfs list. */
    static List<String> words(String list) {
        List<String> out = new ArrayList<>();
        for (String w : list.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
