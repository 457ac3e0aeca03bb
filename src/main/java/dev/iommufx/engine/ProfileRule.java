package dev.iommufx.engine;

import static dev.iommufx.engine.Profile.LINUX_6_1;
import static dev.iommufx.engine.Profile.NEWEST;
import static dev.iommufx.engine.Profile.V7_SERIES;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every rule in which the kernel profiles differ, with the kernel code and the spec section behind it.
 * The engine asks {@code k.profile.has(rule)} at exactly the place the kernels differ, so this list is
 * the whole answer to "what does this profile change?".
 */
public enum ProfileRule {
    USE_BEFORE_FIRMWARE("DMA-API use counted before firmware DMA configuration",
            "v7 04/11 pci_dma_configure(): iommu_device_use_default_domain() first, then acpi/of_dma_configure()",
            "§7a, §9 S3",
            "A device whose group is created by the firmware step is not counted; its unbind WARNs in "
                    + "iommu_device_unuse_default_domain() and a user claim of its group succeeds meanwhile.",
            V7_SERIES),
    CLAIM_DETACHES("A user claim detaches the group instead of blocking it",
            "v7 01/11 iommu_group_claim_dma_owner(): __iommu_detach_group(); no blocking domain",
            "§7a, §7c.1",
            "The claimed group sits on no domain at all (whatever ops->detach_dev leaves: often bypass), and "
                    + "detaching a user domain while owned leaves it detached again.",
            V7_SERIES),
    RELEASE_WANTS_DETACHED("Releasing a claim WARNs if a domain is still attached",
            "v7 01/11 iommu_group_release_dma_owner(): WARN_ON(group->domain); default re-attached only if NULL",
            "§7a",
            "The owner must detach its own domain first; otherwise the group keeps it, now unowned.",
            V7_SERIES),
    BLOCKING_DOMAIN_PER_GROUP("Each claimed group gets its own blocking domain",
            "6.1 iommu.c: __iommu_group_alloc_blocking_domain() (BLOCKED, or an empty UNMANAGED domain)",
            "§1.4, §7c.1",
            "Jason Gunthorpe's 2022 fix: claim always attaches a domain that blocks DMA.",
            LINUX_6_1),
    IDENTITY_COUNTS_AS_DEFAULT("An identity domain stands in for an identity default domain",
            "6.1 iommu.c: iommu_is_default_domain() (2380f1e8195e, back-ported to 5.19.y)",
            "§3.1",
            "A sibling may still join a group whose identity default domain was swapped for another identity "
                    + "domain (AMD IOMMUv2 PASID use).",
            LINUX_6_1),
    NO_DEFAULT_DOMAIN_ALLOWED("Groups may have no default domain",
            "6.1 iommu.c: iommu_alloc_default_domain() may fail (s390-iommu, tegra-smmu, fsl_pamu)",
            "§1.3, §7c, §9 S7",
            "Such groups run on platform DMA ops; a released claim detaches back to them via ops->detach_dev.",
            V7_SERIES, LINUX_6_1),
    STORE_TYPE_SINGLETON_UNBOUND("sysfs type changes only singleton, unbound groups",
            "6.1 iommu.c: iommu_group_store_type(): EINVAL for more than one device, EBUSY while bound",
            "§5",
            "Both refusals print a log line.",
            V7_SERIES, LINUX_6_1),
    DEVICE_CLAIMS("Per-device claims for iommufd",
            "iommu.c: iommu_device_claim_dma_owner()/iommu_device_release_dma_owner() (6.2)",
            "§3.6, §9 S9, fixtures kernel-6.12-iommufd",
            "The same cookie counts up; another cookie (or a DMA-API user) gets EPERM; the last release "
                    + "returns the group to its default domain.",
            NEWEST),
    USE_DEFERS_WITHOUT_DEFAULT("DMA-API use without a default domain defers the probe",
            "iommu.c: iommu_device_use_default_domain(): !group->default_domain -> -EPROBE_DEFER (2025)",
            "§1.6, §3.1",
            "\"We may race against bus_iommu_probe() finalising groups here\".",
            NEWEST),
    MANDATORY_DEFAULT_DOMAINS("Every group has a default domain",
            "\"iommu: Make default_domain's mandatory\" (6.7): IDENTITY or PLATFORM domains replace detach_dev",
            "§1.3, §7c.4, §9 S7",
            "A group of an IOMMU driver without DMA domains gets a PLATFORM default domain (sysfs type reads "
                    + "\"unknown\"); a released claim returns to it instead of to platform DMA ops.",
            NEWEST),
    STATIC_DOMAINS("Static blocked and identity domains, one per IOMMU driver",
            "iommu.c: __iommu_group_alloc_blocking_domain() uses ops->blocked_domain; identity default domains "
                    + "are ops->identity_domain (≈6.7–6.8)",
            "§1.4, §7c.4, §7c.5",
            "Claims attach the driver's shared BLOCKED domain instead of a per-group empty domain, and every "
                    + "identity group shares the driver's one identity domain.",
            NEWEST),
    STORE_TYPE_WHEN_UNOWNED("sysfs type changes any group nobody owns",
            "iommu.c: iommu_group_store_type(): -EPERM if owner_cnt != 0 (Lu Baolu, Feb 2023, ≈6.4)",
            "§5, §9 S5(c), fixtures kernel-6.12 *-type",
            "Multi-device groups and devices on driver_managed_dma drivers are fine; EPERM comes without a log "
                    + "line; DMA to DMA-FQ is always allowed.",
            NEWEST),
    GROUP_AT_DEVICE_ADD("Firmware-described devices get their group when added",
            "iommu.c: iommu_init_device() calls bus->dma_configure() with no driver (Robin Murphy, ≈6.15)",
            "§2.4, §7a",
            "No group is created during a driver's dma_configure any more, so the v7 ordering hazard cannot "
                    + "arise.",
            NEWEST);

    private final String title;
    private final String kernelCode;
    private final String spec;
    private final String effect;
    private final Set<Profile> profiles;

    ProfileRule(String title, String kernelCode, String spec, String effect, Profile first, Profile... rest) {
        this.title = title;
        this.kernelCode = kernelCode;
        this.spec = spec;
        this.effect = effect;
        this.profiles = EnumSet.of(first, rest);
    }

    public String title() {
        return title;
    }

    /** The kernel file and function, with the version or patch. */
    public String kernelCode() {
        return kernelCode;
    }

    /** The sections of kernel-semantics.md (and fixtures) the rule comes from. */
    public String spec() {
        return spec;
    }

    public String effect() {
        return effect;
    }

    public boolean appliesTo(Profile p) {
        return profiles.contains(p);
    }
}
