package dev.iommufx.model;

/**
 * IOMMU domain types ({@code include/linux/iommu.h}, 6.1) with the names sysfs {@code type} uses;
 * PLATFORM is newest only (6.7) and reads "unknown" there.
 */
public enum DomainType {
    BLOCKED("blocked"),
    IDENTITY("identity"),
    UNMANAGED("unmanaged"),
    DMA("DMA"),
    DMA_FQ("DMA-FQ"),
    PLATFORM("platform");

    private final String sysfsName;

    DomainType(String sysfsName) {
        this.sysfsName = sysfsName;
    }

    public String sysfsName() {
        return sysfsName;
    }

    /** The types a default domain may have. */
    public boolean canBeDefault() {
        return this == IDENTITY || this == DMA || this == DMA_FQ;
    }

    public static DomainType fromSysfsName(String name) {
        for (DomainType t : values()) {
            if (t.sysfsName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
