package dev.iommufx.plan;

/** What a passthrough plan does with one member of an IOMMU group it gives to a VM. */
public enum MemberAction {
    /** Asked for: moved to the VFIO driver (driver_override, unbind, bind). */
    ASSIGN,
    /** Asked for and already bound to the VFIO driver: nothing to move. */
    ALREADY_ASSIGNED,
    /** Not asked for, but bound to a DMA-API driver: it must leave it, to the VFIO driver, and goes to the VM too. */
    MUST_LEAVE,
    /** Bound to a DMA-API driver that VFIO would not take (a bridge header, a PF with VFs): only unbound. */
    UNBIND,
    /** Needs nothing: no driver, or a {@code driver_managed_dma} driver (pcieport, pci-stub, vfio-pci). */
    NOTHING,
    /** Asked for, but the kernel will refuse it (see the plan's refusals). */
    REFUSED;

    /** True when the plan changes the member's driver. */
    public boolean changesDriver() {
        return this == ASSIGN || this == MUST_LEAVE || this == UNBIND;
    }
}
