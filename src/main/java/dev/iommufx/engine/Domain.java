package dev.iommufx.engine;

import dev.iommufx.model.DomainType;

/**
 * An IOMMU domain ({@code struct iommu_domain}): a set of translations a group can be attached to.
 * Default and blocking domains belong to a group; unmanaged domains belong to their user (a VFIO
 * container's type1 backend, or a kernel driver's private domain).
 */
public final class Domain {
    private final int id;
    private DomainType type;
    private final String label;

    Domain(int id, DomainType type, String label) {
        this.id = id;
        this.type = type;
        this.label = label;
    }

    public int id() {
        return id;
    }

    public DomainType type() {
        return type;
    }

    /** Who the domain is, for people: "default DMA-FQ domain of group 3". */
    public String label() {
        return label;
    }

    void setType(DomainType type) {
        this.type = type;
    }

    @Override
    public String toString() {
        return label;
    }
}
