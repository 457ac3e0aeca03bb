package dev.iommufx.engine;

import static dev.iommufx.engine.Profile.LINUX_6_1;
import static dev.iommufx.engine.Profile.NEWEST;
import static dev.iommufx.engine.Profile.V7_SERIES;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every rule in which the kernel profiles differ, with the kernel code and the kernel-model section behind it.
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
            "The claimed group sits on no domain: what its DMA does is up to ops->detach_dev (bypass for many "
                    + "drivers; with no detach_dev, as SMMUv3, the kernel's DMA domain stays in place), and detaching "
                    + "a user domain while owned leaves it detached again.",
            V7_SERIES),
    RELEASE_WANTS_DETACHED("Releasing a claim WARNs if a domain is still attached",
            "v7 01/11 iommu_group_release_dma_owner(): WARN_ON(group->domain); default re-attached only if NULL",
            "§7a",
            "The owner must detach its own domain first; otherwise the group keeps it, now unowned.",
            V7_SERIES),
    IDENTITY_COUNTS_AS_DEFAULT("An identity domain stands in for an identity default domain",
            "6.1 iommu.c: iommu_is_default_domain() (2380f1e8195e, back-ported to 5.19.y)",
            "§3.1",
            "A sibling may still join a group whose identity default domain was swapped for another identity "
                    + "domain (AMD IOMMUv2 PASID use).",
            LINUX_6_1),
    DEVICE_CLAIMS("Per-device claims for iommufd",
            "iommu.c: iommu_device_claim_dma_owner()/iommu_device_release_dma_owner() (6.2)",
            "§3.6, §9 S9, fixtures kernel-6.12-iommufd",
            "The same cookie counts up; another cookie (or a DMA-API user) gets EPERM; the last release "
                    + "returns the group to its default domain.",
            NEWEST),
    USE_DEFERS_WITHOUT_DEFAULT("DMA-API use without a default domain defers the probe",
            "iommu.c: iommu_device_use_default_domain(): !group->default_domain -> -EPROBE_DEFER (2025)",
            "§1.6, §3.1",
            "\"We may race against bus_iommu_probe() finalising groups here\". With mandatory default domains "
                    + "no group lacks one once probed, so in the simulator this answers only in that window.",
            NEWEST),
    MANDATORY_DEFAULT_DOMAINS("Every group has a default domain",
            "\"iommu: Make default_domain's mandatory\" (6.7): IDENTITY or PLATFORM domains replace detach_dev",
            "§1.3, §7c.4, §9 S7",
            "A group of an IOMMU driver that had no default domains gets a default domain of the kind its detach "
                    + "meant (the topology's iommuDetach): PLATFORM (sysfs type reads \"unknown\") for s390, "
                    + "fsl_pamu and power; IDENTITY for tegra-smmu, exynos, omap, msm and the others whose detach "
                    + "turned translation off. A released claim returns to it instead of to a NULL domain.",
            NEWEST),
    STATIC_DOMAINS("Static blocked and identity domains, one per IOMMU driver",
            "iommu.c: __iommu_group_alloc_blocking_domain() uses ops->blocked_domain; identity default domains "
                    + "are ops->identity_domain (≈6.7–6.8)",
            "§1.4, §7c.4, §7c.5",
            "Claims attach the driver's shared BLOCKED domain instead of a per-group empty domain, and every "
                    + "identity group shares the driver's one identity domain. The simulator assumes every IOMMU "
                    + "driver provides both and treats a machine as having one IOMMU driver.",
            NEWEST),
    STORE_TYPE_WHEN_UNOWNED("sysfs type changes any group nobody owns",
            "iommu.c: iommu_group_store_type(): -EPERM if owner_cnt != 0 (Lu Baolu, Feb 2023, ≈6.4)",
            "§5, §9 S5(c), fixtures kernel-6.12 *-type",
            "Multi-device groups and devices on driver_managed_dma drivers are fine; EPERM comes without a log "
                    + "line; DMA to DMA-FQ is always allowed.",
            NEWEST),
    CONFLICT_PREFERS_IDENTITY("Members demanding different default types get identity",
            "iommu.c: iommu_get_default_domain_type() (newest): a conflicting driver request prefers IDENTITY; "
                    + "6.1 probe_alloc_default_domain() warns and uses the global default",
            "§1.3",
            "Decides the type of a group whose members' IOMMU drivers demand both identity and DMA, at boot and "
                    + "when \"auto\" is written to its type file.",
            NEWEST),
    EMPTY_GROUP_WARNS("A group that empties while owned WARNs",
            "iommu.c: __iommu_group_free_device() (newest): WARN if owner_cnt != 0 or the domain is not the "
                    + "default one when the last device leaves",
            "§1.6, §3.10, §8 I12",
            "Removing the last device of a claimed group prints a WARN; 6.1 frees such a group silently.",
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

    /** The sections of docs/kernel-model.md (and fixtures) the rule comes from. */
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
