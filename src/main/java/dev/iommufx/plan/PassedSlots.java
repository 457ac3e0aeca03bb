package dev.iommufx.plan;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a VM manager needs from a plan: the PCI functions that go to the VM (asked for, or members that had to
 * leave their DMA-API drivers), grouped by the physical slot they sit in, because a multi-function device (a GPU
 * and its HDMI audio) must appear in the guest as one multi-function slot too. Bridges and PFs the plan only
 * unbinds stay on the host.
 */
record PassedSlots(List<Slot> slots) {
    /** One host slot ({@code DDDD:BB:DD}) and its functions that go to the VM, in function order. */
    record Slot(Bdf first, List<MemberPlan> functions) {
        boolean multifunction() {
            return functions.size() > 1;
        }

        /** A VGA controller (class 0x0300): a GPU a VM can use as its primary display. */
        boolean vga() {
            return functions.stream().anyMatch(m -> m.pciClass() >> 8 == 0x0300);
        }

        Bdf address(MemberPlan m) {
            return Bdf.parse(m.device());
        }
    }

    /** The PCI functions of the plan that go to the VM. */
    static PassedSlots of(Plan plan) {
        Map<Long, List<MemberPlan>> bySlot = new TreeMap<>();
        for (MemberPlan m : plan.members()) {
            Bdf bdf = m.bus() == BusType.PCI ? Bdf.parseOrNull(m.device()) : null;
            if (bdf != null && goesToVm(m)) {
                bySlot.computeIfAbsent((bdf.busKey() << 5) | bdf.slot(), k -> new ArrayList<>()).add(m);
            }
        }
        List<Slot> slots = new ArrayList<>();
        for (List<MemberPlan> functions : bySlot.values()) {
            functions.sort((a, b) -> Bdf.parse(a.device()).compareTo(Bdf.parse(b.device())));
            slots.add(new Slot(Bdf.parse(functions.get(0).device()), List.copyOf(functions)));
        }
        return new PassedSlots(List.copyOf(slots));
    }

    static boolean goesToVm(MemberPlan m) {
        return m.action() == MemberAction.ASSIGN || m.action() == MemberAction.ALREADY_ASSIGNED
                || m.action() == MemberAction.MUST_LEAVE;
    }

    /** Problems that make a VM configuration meaningless: nothing to pass, or devices off PCI. */
    static List<String> problems(Plan plan) {
        List<String> out = new ArrayList<>();
        for (Refusal r : plan.refusals()) {
            out.add(r.device() + ": the kernel would refuse it with " + r.errno() + " (" + r.reason() + ")");
        }
        for (MemberPlan m : plan.members()) {
            if (goesToVm(m) && (m.bus() != BusType.PCI || Bdf.parseOrNull(m.device()) == null)) {
                out.add(m.device() + " is not a PCI function: this configuration holds PCI devices only");
            }
        }
        if (of(plan).slots().isEmpty()) {
            out.add("the plan gives no PCI function to the VM");
        }
        return out;
    }
}
