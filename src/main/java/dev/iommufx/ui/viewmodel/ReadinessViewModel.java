package dev.iommufx.ui.viewmodel;

import dev.iommufx.doctor.Doctor;
import dev.iommufx.doctor.Finding;
import dev.iommufx.doctor.Readiness;
import dev.iommufx.doctor.ReadinessText;
import dev.iommufx.engine.KernelEvent;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * Whether the machine on screen is ready for passthrough, as far as its file tells (the {@code doctor} command's
 * answers): examined once each time a machine is opened, since what a listing or snapshot says of the real machine
 * (the IOMMU, resets, the boot GPU) does not change while the user moves devices in the simulator.
 */
public final class ReadinessViewModel {
    private final MachineViewModel machine;
    private final ReadOnlyObjectWrapper<Readiness> readiness = new ReadOnlyObjectWrapper<>(this, "readiness");

    ReadinessViewModel(MachineViewModel machine) {
        this.machine = machine;
        machine.subscribe(KernelEvent.MachineReplaced.class, e -> readiness.set(Doctor.examine(machine.describedTopology())));
    }

    /** The answers for the machine on screen; null before any machine is shown. */
    public ReadOnlyObjectProperty<Readiness> readinessProperty() {
        return readiness.getReadOnlyProperty();
    }

    /** The machine-wide answers as label and value ("IOMMU", "off"). */
    public List<String[]> machineRows() {
        Readiness r = readiness.get();
        return r == null ? List.of() : ReadinessText.machine(r.iommu());
    }

    /** What the checks found, most serious first. */
    public List<Finding> findings() {
        Readiness r = readiness.get();
        return r == null ? List.of() : r.findings();
    }

    /** The panel's tab title: "Readiness", or with the count of problems ("Readiness: 1 error"). */
    public String title() {
        Readiness r = readiness.get();
        return r == null || r.worst().compareTo(Finding.Severity.WARNING) > 0 ? "Readiness"
                : "Readiness: " + ReadinessText.tally(r);
    }

    /** One sentence over the findings: whether anything stops passthrough on this machine. */
    public String headline() {
        Readiness r = readiness.get();
        if (r == null) {
            return "";
        }
        return switch (r.worst()) {
            case ERROR -> "Passthrough cannot work on this machine until the errors below are fixed ("
                    + ReadinessText.tally(r) + ").";
            case WARNING -> "Passthrough can work, with care: " + ReadinessText.tally(r) + ".";
            default -> "Nothing in this file stops passthrough; below is what it tells and what it cannot.";
        };
    }

    /** What is known of a device's reset, boot VGA and SR-IOV ("reset: flr; boot VGA: no"), or null. */
    public String device(String id) {
        Readiness r = readiness.get();
        Readiness.Device d = r == null ? null : r.devices().get(id);
        return d == null ? null : ReadinessText.device(d);
    }

    /** Selects the finding's device, when it names one the machine on screen has; false otherwise. */
    public boolean select(Finding f) {
        if (f.device() == null || machine.items().device(f.device()) == null) {
            return false;
        }
        machine.selectionProperty().set(Selection.device(f.device()));
        return true;
    }
}
