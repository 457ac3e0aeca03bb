package dev.iommufx.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan as Proxmox VE commands: {@code qm set VMID --hostpciN ...}, one per host slot. The functions of a slot
 * are listed together ({@code host=A;B}), so Proxmox maps them into one multi-function guest slot; {@code pcie=1}
 * (the VM must use the q35 machine type) and {@code x-vga=1} for a VGA controller, which Proxmox then uses as the
 * VM's primary display. Format: Proxmox's {@code qm(1)}, {@code hostpci[n]}.
 */
public final class ProxmoxExport {
    private ProxmoxExport() {
    }

    /** The commands; {@code vmid} is the VM's numeric id, or null for a {@code VMID} placeholder to replace. */
    public static String render(Plan plan, String vmid) {
        List<String> problems = PassedSlots.problems(plan);
        StringBuilder sb = new StringBuilder();
        sb.append(ShellScriptExport.comment("iommufx: give " + String.join(", ", plan.requested())
                + " to a Proxmox VE VM")).append('\n');
        if (!problems.isEmpty()) {
            sb.append("# THIS PLAN CANNOT BE CARRIED OUT:\n");
            problems.forEach(p -> sb.append(ShellScriptExport.comment("  - " + p)).append('\n'));
            return sb.toString();
        }
        String id = vmid == null ? "VMID" : vmid;
        if (vmid == null) {
            sb.append("# Replace VMID with the VM's id (qm list); hostpci0, hostpci1 ... must be free in that VM.\n");
        }
        sb.append("# Run on the Proxmox host as root. The VM needs the q35 machine type for pcie=1.\n");
        int n = 0;
        for (PassedSlots.Slot slot : PassedSlots.of(plan).slots()) {
            List<String> hosts = new ArrayList<>();
            for (MemberPlan m : slot.functions()) {
                sb.append(ShellScriptExport.comment(Plan.memberLine(m))).append('\n');
                hosts.add(slot.address(m).toString());
            }
            String value = String.join(";", hosts) + ",pcie=1" + (slot.vga() ? ",x-vga=1" : "");
            sb.append("qm set ").append(ShellScriptExport.quote(id)).append(" --hostpci").append(n++).append(' ')
                    .append(ShellScriptExport.quote(value)).append('\n');
        }
        return sb.toString();
    }
}
