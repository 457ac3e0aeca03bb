package dev.iommufx.plan;

import dev.iommufx.model.Bdf;
import java.util.List;

/**
 * The plan as libvirt domain XML: one {@code <hostdev mode='subsystem' type='pci' managed='yes'>} per function that
 * goes to the VM (libvirt's "managed" unbinds it from its host driver and binds it to vfio-pci when the VM starts,
 * and gives it back after). Each host slot gets its own PCIe root port in the guest, and the functions of a
 * multi-function device keep one guest slot ({@code multifunction='on'} on function 0), as a GPU and its HDMI
 * audio must. Schema: libvirt's {@code domaincommon.rng} ({@code hostdev}, {@code controller}).
 */
public final class LibvirtExport {
    /** The first guest bus (root-port controller index) used; virt-manager's own ports are numbered below it. */
    public static final int FIRST_GUEST_BUS = 0x10;

    private LibvirtExport() {
    }

    /** The elements to paste inside {@code <devices>} of the domain ({@code virsh edit VM}). */
    public static String render(Plan plan) {
        List<String> problems = PassedSlots.problems(plan);
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- iommufx: ").append(xmlComment("give " + String.join(", ", plan.requested())
                + " to a libvirt VM")).append(" -->\n");
        if (!problems.isEmpty()) {
            sb.append("<!-- THIS PLAN CANNOT BE CARRIED OUT:\n");
            problems.forEach(p -> sb.append("     - ").append(xmlComment(p)).append('\n'));
            sb.append("-->\n");
            return sb.toString();
        }
        sb.append("""
                <!-- Paste these inside <devices> of the VM (virsh edit VM). managed='yes' lets libvirt move each
                     function to vfio-pci when the VM starts. Each device gets its own PCIe root port (a q35
                     machine); if the VM already has controllers with these indexes, give them other free
                     numbers, in the controller and in the hostdev's guest address alike. -->
                """);
        int guestBus = FIRST_GUEST_BUS;
        for (PassedSlots.Slot slot : PassedSlots.of(plan).slots()) {
            sb.append(String.format("<controller type='pci' index='%d' model='pcie-root-port'/>%n", guestBus));
            List<MemberPlan> functions = slot.functions();
            for (int f = 0; f < functions.size(); f++) {
                MemberPlan m = functions.get(f);
                Bdf host = slot.address(m);
                sb.append("<!-- ").append(xmlComment(Plan.memberLine(m))).append(" -->\n");
                sb.append("<hostdev mode='subsystem' type='pci' managed='yes'>\n");
                sb.append("  <source>\n");
                sb.append(String.format("    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>%n",
                        host.domain(), host.bus(), host.slot(), host.function()));
                sb.append("  </source>\n");
                sb.append(String.format("  <address type='pci' domain='0x0000' bus='0x%02x' slot='0x00'"
                        + " function='0x%x'%s/>%n", guestBus, f, f == 0 && slot.multifunction()
                        ? " multifunction='on'" : ""));
                sb.append("</hostdev>\n");
            }
            guestBus++;
        }
        return sb.toString();
    }

    /** Text inside an XML comment: no "--" (which would end it early or be invalid) and no control characters. */
    static String xmlComment(String text) {
        String one = Plan.oneLine(text);
        StringBuilder sb = new StringBuilder(one.length());
        for (int i = 0; i < one.length(); i++) {
            char c = one.charAt(i);
            if (c == '-' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') {
                sb.append(' ');
            }
            sb.append(c == '<' || c == '>' || c == '&' ? '?' : c);
        }
        return sb.length() > 0 && sb.charAt(sb.length() - 1) == '-' ? sb + " " : sb.toString();
    }
}
