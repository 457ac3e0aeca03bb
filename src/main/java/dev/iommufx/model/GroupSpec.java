package dev.iommufx.model;

/**
 * An IOMMU group at boot.
 *
 * @param id            the kernel's group number ({@code /sys/kernel/iommu_groups/<id>})
 * @param defaultDomain the default domain's type, or null when the IOMMU driver gives the group none
 *                      (6.1 s390-iommu, tegra-smmu, fsl_pamu; sysfs {@code type} reads "unknown")
 */
public record GroupSpec(int id, DomainType defaultDomain) {
    public GroupSpec {
        if (id < 0) {
            throw new IllegalArgumentException("group number is negative: " + id);
        }
        if (defaultDomain != null && !defaultDomain.canBeDefault()) {
            throw new IllegalArgumentException("a default domain cannot be " + defaultDomain.sysfsName());
        }
    }
}
