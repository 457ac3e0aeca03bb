package dev.iommufx.plan;

/**
 * Something the host will miss once the group goes to the VM.
 *
 * @param kind   what sort of loss
 * @param group  the group that holds the device
 * @param device the device
 * @param text   the warning in plain words
 */
public record PlanWarning(Kind kind, int group, String device, String text) {

    /** The sorts of things a user will miss. */
    public enum Kind {
        /** A USB controller (class 0c03xx): keyboard and mouse may be on it. */
        USB,
        /** A storage controller (class 01xxxx): the root disk may be on it. */
        STORAGE,
        /** The only display controller still driven by the host (class 03xxxx). */
        ONLY_DISPLAY,
        /** A network controller (class 02xxxx, not an SR-IOV virtual function). */
        NETWORK,
        /** A function of the host bridge or chipset (class 0600, 0601, 0c05). */
        CHIPSET
    }
}
