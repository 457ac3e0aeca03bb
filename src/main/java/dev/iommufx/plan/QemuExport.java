package dev.iommufx.plan;

import java.util.List;

/**
 * The plan as QEMU command-line arguments for a q35 machine: a {@code pcie-root-port} per host slot and a
 * {@code -device vfio-pci,host=...} per function on it, the functions of a multi-function device in one guest slot
 * ({@code addr=00.F}, {@code multifunction=on} on function 0). Format: QEMU's {@code vfio-pci} device options.
 */
public final class QemuExport {
    private QemuExport() {
    }

    public static String render(Plan plan) {
        List<String> problems = PassedSlots.problems(plan);
        StringBuilder sb = new StringBuilder();
        sb.append(ShellScriptExport.comment("iommufx: QEMU arguments that give " + String.join(", ", plan.requested())
                + " to a VM (machine type q35; the devices must be on vfio-pci first)")).append('\n');
        if (!problems.isEmpty()) {
            sb.append("# THIS PLAN CANNOT BE CARRIED OUT:\n");
            problems.forEach(p -> sb.append(ShellScriptExport.comment("  - " + p)).append('\n'));
            return sb.toString();
        }
        int port = 1;
        for (PassedSlots.Slot slot : PassedSlots.of(plan).slots()) {
            String bus = "iommufx-rp" + port;
            sb.append("-device pcie-root-port,id=").append(bus).append(",chassis=").append(port).append(",slot=")
                    .append(port).append(" \\\n");
            List<MemberPlan> functions = slot.functions();
            for (int f = 0; f < functions.size(); f++) {
                sb.append("-device vfio-pci,host=").append(slot.address(functions.get(f))).append(",bus=").append(bus)
                        .append(",addr=00.").append(f).append(f == 0 && slot.multifunction() ? ",multifunction=on" : "")
                        .append(" \\\n");
            }
            port++;
        }
        // the last line ends the arguments without a continuation
        sb.setLength(sb.length() - 3);
        sb.append('\n');
        return sb.toString();
    }
}
