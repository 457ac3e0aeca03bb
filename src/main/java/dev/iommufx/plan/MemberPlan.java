package dev.iommufx.plan;

import dev.iommufx.model.BusType;

/**
 * One member of a group the plan touches, and what happens to it.
 *
 * @param device        the device id (a PCI address for PCI devices)
 * @param bus           its bus
 * @param name          its human name from the topology, or null; free text, never trusted
 * @param vendor        PCI vendor ID (0 off PCI)
 * @param deviceId      PCI device ID (0 off PCI)
 * @param pciClass      PCI class code (0 off PCI)
 * @param currentDriver the driver bound now (what sysfs shows), or null
 * @param action        what the plan does with it
 * @param targetDriver  the driver it ends on (the VFIO driver), or null when it keeps its state or is only unbound
 * @param requested     the user asked for this device
 * @param reason        why, in plain words
 */
public record MemberPlan(String device, BusType bus, String name, int vendor, int deviceId, int pciClass,
                         String currentDriver, MemberAction action, String targetDriver, boolean requested,
                         String reason) {

    public MemberPlan {
        if (device == null || bus == null || action == null) {
            throw new IllegalArgumentException("a planned member needs a device, a bus and an action");
        }
        reason = reason == null ? "" : reason;
    }

    /** The same member with another action and reason: for building plans by hand (and bad plans in tests). */
    public MemberPlan withAction(MemberAction newAction, String newTarget, String newReason) {
        return new MemberPlan(device, bus, name, vendor, deviceId, pciClass, currentDriver, newAction, newTarget,
                requested, newReason);
    }

    /** The name, or the id when the topology gives none. */
    public String label() {
        return name == null || name.isEmpty() ? device : name;
    }
}
