package dev.iommufx.doctor;

import dev.iommufx.doctor.Finding.Severity;
import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.util.List;

/** The per-device findings: reset, boot VGA, SR-IOV. */
final class DeviceFindings {
    private DeviceFindings() {
    }

    static void add(Topology t, DeviceSpec d, Readiness.Device r, DeviceFacts f, List<Finding> out) {
        boolean endpoint = t.children(d.id()).isEmpty() && d.pciClass() >> 16 != 0x06;
        String who = d.id() + (d.name() == null ? "" : " (" + d.name() + ")");
        boolean display = d.pciClass() >> 16 == 0x03;
        if (endpoint && r.reset() != null) {
            reset(t, d, r.reset(), who, display, out);
        } else if (endpoint && Boolean.FALSE.equals(f.resettable())) {
            out.add(new Finding(Severity.WARNING, d.id(), who + " has no reset file: the kernel found no way to reset"
                    + " it, so it keeps its state between VM runs" + (display ? " (the GPU \"reset bug\")" : "")
                    + "; restarting the VM may need a host reboot."));
        }
        if (Boolean.TRUE.equals(r.bootVga())) {
            out.add(new Finding(Severity.WARNING, d.id(), who + " is the boot VGA device: the firmware and the host's"
                    + " console use it. To pass it through, keep the host off it (no console or framebuffer on it:"
                    + " video=efifb:off or simpledrm, no display manager) and expect to give the VM its ROM."));
        }
        if (r.sriov() != null) {
            out.add(new Finding(Severity.INFO, d.id(), who + " supports SR-IOV: up to " + r.sriov().totalVfs()
                    + " virtual functions" + (r.sriov().enabledVfs() == null ? "" : ", " + r.sriov().enabledVfs()
                    + " enabled") + "; each VF can go to a VM on its own."));
        }
    }

    private static void reset(Topology t, DeviceSpec d, List<String> methods, String who, boolean display,
                              List<Finding> out) {
        if (methods.isEmpty()) {
            out.add(new Finding(Severity.WARNING, d.id(), who + " has no reset method: the kernel cannot reset it"
                    + " between VM runs, so it keeps its state" + (display ? " (the GPU \"reset bug\")" : "")
                    + "; restarting the VM may need a host reboot."));
            return;
        }
        if (methods.contains("flr") || methods.contains("af_flr") || methods.contains("device_specific")) {
            out.add(new Finding(Severity.OK, d.id(), who + " can be reset on its own (" + String.join(", ", methods)
                    + ")."));
            return;
        }
        if (methods.contains("bus")) {
            DeviceSpec bridge = Resets.bridge(t, d);
            List<String> also = bridge == null ? List.of() : Resets.alsoReset(t, bridge, d);
            out.add(new Finding(display ? Severity.WARNING : Severity.INFO, d.id(), who + " has no function-level"
                    + " reset" + (display ? " (a GPU without FLR)" : "") + ": it is reset with a secondary bus reset"
                    + (bridge == null ? "" : " through " + bridge.id()) + (also.isEmpty() ? ", which resets nothing else."
                    : ", which also resets " + String.join(", ", also) + ": give them to the same VM or leave them"
                    + " idle.")));
            return;
        }
        out.add(new Finding(Severity.WARNING, d.id(), who + " can only be reset through power management ("
                + String.join(", ", methods) + "): a D3hot to D0 transition, which some devices ignore; it may"
                + " keep state between VM runs."));
    }
}
