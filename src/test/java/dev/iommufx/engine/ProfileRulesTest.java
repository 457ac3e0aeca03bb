package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.F0;
import static dev.iommufx.engine.SpecMachines.F1;
import static dev.iommufx.engine.SpecMachines.F2;
import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules in which the kernel profiles differ ({@link ProfileRule}), each against the kernel-model section or record
 * it comes from. Where a rule is one profile's, the test shows the other profiles answering otherwise.
 */
class ProfileRulesTest {
    private static final String ERIC_NIC = "0004:01:00.0";

    @Test
    void everyProfileOtherThanTheDefaultChangesSomeRuleAndEveryRuleIsSomeProfiles() {
        assertThat(Profile.V7_SERIES.differencesFromDefault()).contains(ProfileRule.USE_BEFORE_FIRMWARE,
                ProfileRule.CLAIM_DETACHES, ProfileRule.RELEASE_WANTS_DETACHED);
        assertThat(Profile.NEWEST.differencesFromDefault()).contains(ProfileRule.DEVICE_CLAIMS,
                ProfileRule.USE_DEFERS_WITHOUT_DEFAULT, ProfileRule.MANDATORY_DEFAULT_DOMAINS,
                ProfileRule.STATIC_DOMAINS, ProfileRule.STORE_TYPE_WHEN_UNOWNED);
        assertThat(Profile.LINUX_6_1.differencesFromDefault()).isEmpty();
        // a rule no profile changes relative to 6.1 would be no difference at all
        assertThat(Arrays.stream(ProfileRule.values())).allSatisfy(r -> assertThat(
                Profile.V7_SERIES.differencesFromDefault().contains(r) || Profile.NEWEST.differencesFromDefault()
                        .contains(r)).as(r.name()).isTrue());
    }

    @Test
    void v7CountsBeforeTheFirmwareStepSoALateGroupIsNotCountedAndTheUnbindWarns() {
        // §7a steps 1-5 and §9 S3 (v7 column): bind -> U0 with e1000e bound; unbind -> WARN_ON(!owner_cnt)
        Kernel k = Kernel.boot(SpecMachines.lateGroup(), Profile.V7_SERIES);
        assertThat(k.device(ERIC_NIC).group()).isNull();
        assertThat(k.group(3)).isNull();

        OpResult bind = k.bind(ERIC_NIC, "e1000e");
        assertThat(bind.errno()).isEqualTo(Errno.OK);
        assertThat(k.group(3).ownerCount()).isZero();
        assertThat(GroupState.code(k.group(3))).isEqualTo("U0");
        assertThat(bind.log()).contains("pci 0004:01:00.0: Adding to iommu group 3");
        assertThat(names(bind)).containsSubsequence("iommu_device_use_default_domain", "acpi_dma_configure",
                "iommu_probe_device");

        OpResult unbind = k.unbind(ERIC_NIC);
        assertThat(unbind.warnings()).hasSize(1);
        assertThat(unbind.warnings().get(0)).contains("WARN_ON(!group->owner_cnt)");
        assertThat(k.group(3).ownerCount()).isZero();
    }

    @Test
    void from61TheFirmwareStepComesFirstSoTheSameBindIsCounted() {
        // §2.4 and §9 S3 (6.1 column): firmware config creates group 3 first, then use_default -> K(1)
        Kernel k = Kernel.boot(SpecMachines.lateGroup(), Profile.LINUX_6_1);
        OpResult bind = k.bind(ERIC_NIC, "e1000e");
        assertThat(names(bind)).containsSubsequence("acpi_dma_configure", "iommu_probe_device",
                "iommu_device_use_default_domain");
        assertThat(GroupState.code(k.group(3))).isEqualTo("K(1)");
        assertThat(k.unbind(ERIC_NIC).warnings()).isEmpty();
        assertThat(GroupState.code(k.group(3))).isEqualTo("U0");
    }

    @Test
    void v7LetsAUserClaimAGroupWhoseKernelDriverWasNotCounted() {
        // §7a step 4 and §9 S3 step 2: the claim succeeds under v7 (owner_cnt 0), -EPERM under 6.1
        Kernel v7 = Kernel.boot(SpecMachines.lateGroup(), Profile.V7_SERIES);
        v7.bind(ERIC_NIC, "e1000e");
        assertThat(v7.claimDmaOwner(3, "vfio").errno()).isEqualTo(Errno.OK);
        assertThat(v7.device(ERIC_NIC).sysfsDriver().name()).isEqualTo("e1000e");

        Kernel k61 = Kernel.boot(SpecMachines.lateGroup(), Profile.LINUX_6_1);
        k61.bind(ERIC_NIC, "e1000e");
        assertThat(k61.claimDmaOwner(3, "vfio").errno()).isEqualTo(Errno.EPERM);
    }

    @Test
    void newestGroupsFirmwareDescribedDevicesWhenTheyAreAdded() {
        // §2.4 (≈6.15): the IOMMU core calls dma_configure at device add; no group is created at bind
        Kernel k = Kernel.boot(SpecMachines.lateGroup(), Profile.NEWEST);
        assertThat(k.device(ERIC_NIC).group().id()).isEqualTo(3);
        OpResult bind = k.bind(ERIC_NIC, "e1000e");
        assertThat(names(bind)).doesNotContain("iommu_probe_device");
        assertThat(GroupState.code(k.group(3))).isEqualTo("K(1)");
    }

    @Test
    void v7ClaimDetachesTheGroupInsteadOfBlockingIt() {
        // §7a ("claim used __iommu_detach_group(), no blocking domain") and §7c.1
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.V7_SERIES);
        k.unbind(SpecMachines.SINGLE_NIC);
        assertThat(k.claimDmaOwner(12, "user").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(12).domain()).isNull();
        assertThat(k.group(12).blockingDomain()).isNull();
        assertThat(GroupState.code(k.group(12))).isEqualTo("UD");
        assertThat(k.group(12).state()).isEqualTo(GroupState.USER_CLAIMED);
        // the same under 6.1: UB on a per-group empty unmanaged domain (§1.4)
        Kernel k61 = Kernel.boot(SpecMachines.spec(), Profile.LINUX_6_1);
        k61.unbind(SpecMachines.SINGLE_NIC);
        k61.claimDmaOwner(12, "user");
        assertThat(GroupState.code(k61.group(12))).isEqualTo("UB");
        assertThat(k61.group(12).domain().type()).isEqualTo(DomainType.UNMANAGED);
    }

    @Test
    void v7DetachWhileOwnedLeavesTheGroupDetachedAndReleaseWarnsIfADomainIsStillAttached() {
        // §7a: release had WARN_ON(group->domain) and re-attached the default domain only if domain == NULL
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.V7_SERIES);
        k.unbind(SpecMachines.SINGLE_NIC);
        k.claimDmaOwner(12, "user");
        k.attachGroup(12, "user-dom");
        assertThat(GroupState.code(k.group(12))).isEqualTo("UU");
        k.detachGroup(12, "user-dom");
        assertThat(k.group(12).domain()).isNull();
        k.attachGroup(12, "user-dom");

        OpResult release = k.releaseDmaOwner(12);
        assertThat(release.warnings()).singleElement().asString().contains("WARN_ON(group->domain)");
        assertThat(k.group(12).owner()).isNull();
        assertThat(k.group(12).domain().label()).contains("user-dom");

        // 6.1 switches whatever is attached to the default domain, without a warning (§3.4)
        Kernel k61 = Kernel.boot(SpecMachines.spec(), Profile.LINUX_6_1);
        k61.unbind(SpecMachines.SINGLE_NIC);
        k61.claimDmaOwner(12, "user");
        k61.attachGroup(12, "user-dom");
        assertThat(k61.releaseDmaOwner(12).warnings()).isEmpty();
        assertThat(k61.group(12).domain()).isSameAs(k61.group(12).defaultDomain());
    }

    @Test
    void onlyV7ReleasesAClaimedDetachedGroupBackToItsDefaultDomainQuietly() {
        // §7a: with domain NULL, v7's release re-attaches the default domain
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.V7_SERIES);
        k.unbind(SpecMachines.SINGLE_NIC);
        assertThat(k.claimDmaOwner(12, "user").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(12).domain()).as("v7's claim detaches the group").isNull();
        assertThat(k.releaseDmaOwner(12).warnings()).isEmpty();
        assertThat(k.group(12).domain()).isSameAs(k.group(12).defaultDomain());
    }

    @Test
    void only61TakesAnIdentityDomainForAnIdentityDefaultDomain() {
        // §3.1: iommu_is_default_domain() (6.1, 2380f1e8195e); neither v7 nor newest has the helper
        for (Profile p : Profile.values()) {
            Kernel k = Kernel.boot(SpecMachines.spec(), p);
            IommuGroup g = k.group(7);
            k.unbind(NIC_B);
            g.defaultDomain = k.state().newDomain(DomainType.IDENTITY, "identity default");
            g.domain = k.state().newDomain(DomainType.IDENTITY, "AMD IOMMUv2 identity for PASID");
            Errno bind = k.bind(NIC_B, "e1000e").errno();
            assertThat(bind).as(p.key()).isEqualTo(p == Profile.LINUX_6_1 ? Errno.OK : Errno.EBUSY);
        }
    }

    @Test
    void newestDefersADmaApiUserOfAGroupWithoutADefaultDomain() {
        // §1.6 and §3.1 (newest): default_domain == NULL -> -EPROBE_DEFER, which bind_store turns into -EAGAIN
        // (§2.1). Groups without default domains cannot last in newest; this is the window before
        // bus_iommu_probe() finalises a group.
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.NEWEST);
        k.unbind(SpecMachines.SINGLE_NIC);
        IommuGroup g = k.group(12);
        g.defaultDomain = null;
        g.domain = null;
        assertThat(k.bind(SpecMachines.SINGLE_NIC, "e1000e").errno()).isEqualTo(Errno.EAGAIN);
        assertThat(g.ownerCount()).isZero();
        // and its type file: newest iommu_group_store_type() refuses a group without a default domain; the
        // kernel-model §5 says so of 6.1, newest's iommu_setup_default_domain() needs one to replace as well
        assertThat(k.setGroupType(12, "DMA").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void newestGivesEveryGroupADefaultDomainAndReleasesBackToIt() {
        // §1.3, §7c.4 and §9 S7 "Newest": a PLATFORM default domain (type reads "unknown"); release lands on it
        Kernel k = Kernel.boot(SpecMachines.noDefaultDomain(), Profile.NEWEST);
        IommuGroup g = k.group(0);
        assertThat(g.defaultDomain().type()).isEqualTo(DomainType.PLATFORM);
        assertThat(g.sysfsType()).isEqualTo("unknown");
        k.unbind("0001:00:00.0");
        assertThat(k.claimDmaOwner(0, "user").errno()).isEqualTo(Errno.OK);
        assertThat(g.domain()).isNotSameAs(g.defaultDomain());
        assertThat(k.releaseDmaOwner(0).errno()).isEqualTo(Errno.OK);
        assertThat(g.domain()).isSameAs(g.defaultDomain());
        // 6.1 (§9 S7 step 4): release detaches to platform DMA ops, domain NULL
        Kernel k61 = Kernel.boot(SpecMachines.noDefaultDomain(), Profile.LINUX_6_1);
        k61.unbind("0001:00:00.0");
        assertThat(k61.claimDmaOwner(0, "user").errno()).isEqualTo(Errno.OK);
        assertThat(k61.group(0).domain()).as("the claim blocks DMA").isNotNull();
        assertThat(k61.releaseDmaOwner(0).errno()).isEqualTo(Errno.OK);
        assertThat(k61.group(0).domain()).isNull();
        assertThat(k61.group(0).defaultDomain()).isNull();
    }

    @Test
    void newestGivesAnIdentityDetachDriversGroupAnIdentityDefaultDomain() {
        // §7c.2 and §7c.4: 6.7 turned the detach_dev of tegra-smmu, exynos, omap, msm and others into IDENTITY
        // domains (PLATFORM only for s390, fsl_pamu, power); newest's identity domain is the driver's static one
        Kernel k = Kernel.boot(SpecMachines.noDefaultDomainIdentityDetach(), Profile.NEWEST);
        IommuGroup g = k.group(0);
        assertThat(g.defaultDomain().type()).isEqualTo(DomainType.IDENTITY);
        assertThat(g.defaultDomain()).isSameAs(k.state().staticIdentityDomain());
        assertThat(g.sysfsType()).isEqualTo("identity"); // §5: the type file shows the default domain's type
        k.unbind("0001:00:00.0");
        assertThat(k.claimDmaOwner(0, "user").errno()).isEqualTo(Errno.OK);
        assertThat(g.domain().type()).isEqualTo(DomainType.BLOCKED);
        assertThat(k.releaseDmaOwner(0).errno()).isEqualTo(Errno.OK);
        assertThat(g.domain()).isSameAs(g.defaultDomain());

        // 6.1 (§1.3, §9 S7): the same group has no default domain whatever its driver's detach meant; with none
        // attached it runs untranslated, which is what the group says instead of "platform DMA ops"
        Kernel k61 = Kernel.boot(SpecMachines.noDefaultDomainIdentityDetach(), Profile.LINUX_6_1);
        assertThat(k61.group(0).defaultDomain()).isNull();
        assertThat(k61.group(0).sysfsType()).isEqualTo("unknown");
        assertThat(k61.group(0).domainLabel()).isEqualTo("no translation (detach_dev)");
        assertThat(Kernel.boot(SpecMachines.noDefaultDomain(), Profile.LINUX_6_1).group(0).domainLabel())
                .isEqualTo("platform DMA ops");
    }

    @Test
    void newestClaimsShareTheIommuDriversStaticBlockedDomain() {
        // §1.4 newest: ops->blocked_domain, one per IOMMU driver; 6.1 allocates one per group
        Kernel k = twoUnboundSingletons(Profile.NEWEST);
        assertThat(k.claimDmaOwner(12, "a").errno()).isEqualTo(Errno.OK);
        assertThat(k.claimDmaOwner(13, "b").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(12).domain()).isSameAs(k.group(13).domain());
        assertThat(k.group(12).domain().type()).isEqualTo(DomainType.BLOCKED);

        Kernel k61 = twoUnboundSingletons(Profile.LINUX_6_1);
        assertThat(k61.claimDmaOwner(12, "a").errno()).isEqualTo(Errno.OK);
        assertThat(k61.claimDmaOwner(13, "b").errno()).isEqualTo(Errno.OK);
        // §1.4 (6.1): an empty UNMANAGED domain stands in where the driver cannot allocate BLOCKED
        assertThat(k61.group(12).domain().type()).isEqualTo(DomainType.UNMANAGED);
        assertThat(k61.group(12).domain()).isNotSameAs(k61.group(13).domain());
    }

    @Test
    void newestIdentityGroupsShareTheStaticIdentityDomain() {
        // §7c.4/§7c.5: ops->identity_domain is one static domain of the IOMMU driver; 6.1 allocates per group
        Kernel k = twoUnboundSingletons(Profile.NEWEST);
        assertThat(k.setGroupType(12, "identity").errno()).isEqualTo(Errno.OK);
        assertThat(k.setGroupType(13, "identity").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(12).defaultDomain()).isSameAs(k.group(13).defaultDomain());
        assertThat(k.group(12).sysfsType()).isEqualTo("identity");
        assertThat(k.setGroupType(12, "DMA").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(13).sysfsType()).isEqualTo("identity");

        Kernel k61 = twoUnboundSingletons(Profile.LINUX_6_1);
        assertThat(k61.setGroupType(12, "identity").errno()).isEqualTo(Errno.OK);
        assertThat(k61.setGroupType(13, "identity").errno()).isEqualTo(Errno.OK);
        assertThat(k61.group(12).sysfsType()).isEqualTo("identity");
        assertThat(k61.group(12).defaultDomain()).isNotSameAs(k61.group(13).defaultDomain());
    }

    @Test
    void newestChangesTheTypeOfAnyGroupNobodyOwns() {
        // §9 S5 (c) and fixtures/kernel-6.12: multi-device unbound -> ok; one e1000e bound -> EPERM;
        // only driver_managed_dma drivers -> ok; claimed -> EPERM; DMA -> DMA-FQ always
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.NEWEST);
        assertThat(k.setGroupType(7, "identity").errno()).isEqualTo(Errno.EPERM);
        k.unbind(NIC_A);
        assertThat(k.setGroupType(7, "identity").errno()).isEqualTo(Errno.EPERM);
        assertThat(k.setGroupType(7, "identity").log()).isEmpty();
        k.unbind(NIC_B);
        assertThat(k.setGroupType(7, "identity").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).sysfsType()).isEqualTo("identity");
        k.driverOverride(NIC_A, "vfio-pci");
        k.bind(NIC_A, "vfio-pci");
        assertThat(k.setGroupType(7, "DMA").errno()).isEqualTo(Errno.OK);
        k.claimDmaOwner(7, "user");
        assertThat(k.setGroupType(7, "identity").errno()).isEqualTo(Errno.EPERM);
        assertThat(k.setGroupType(7, "DMA-FQ").errno()).isEqualTo(Errno.OK);
        // 6.1 (§9 S5 b): the same unbound two-device group -> EINVAL
        Kernel k61 = Kernel.boot(SpecMachines.spec(), Profile.LINUX_6_1);
        k61.unbind(NIC_A);
        k61.unbind(NIC_B);
        assertThat(k61.setGroupType(7, "identity").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void deviceClaimsCountOneCookieAndRefuseAnother() {
        // §3.6 and §9 S9 steps 1-3, 6, 7 (and fixtures/kernel-6.12-iommufd steps 24-25, 30-32)
        Kernel k = bothNicsOnVfioPci();
        assertThat(k.iommufdBind(NIC_A, "X").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
        assertThat(k.iommufdBind(NIC_B, "Y").errno()).isEqualTo(Errno.EPERM);
        assertThat(k.iommufdBind(NIC_B, "X").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(2);
        assertThat(k.claimDmaOwner(7, "container").errno()).isEqualTo(Errno.EPERM);
        k.iommufdAttach(NIC_A, "ioas");
        k.iommufdAttach(NIC_B, "ioas");
        assertThat(k.iommufdUnbind(NIC_A).errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).ownerCount()).isEqualTo(1);
        assertThat(GroupState.code(k.group(7))).isEqualTo("UU");
        k.iommufdUnbind(NIC_B);
        assertThat(GroupState.code(k.group(7))).isEqualTo("U0");
        assertThat(k.group(7).owner()).isNull();
    }

    @Test
    void olderProfilesHaveNoIommufd() {
        // §1.6: per-device claims are 6.2+; 6.1 has neither /dev/iommu nor VFIO cdevs
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.LINUX_6_1);
        k.unbind(SpecMachines.SINGLE_NIC);
        k.driverOverride(SpecMachines.SINGLE_NIC, "vfio-pci");
        k.bind(SpecMachines.SINGLE_NIC, "vfio-pci");
        assertThat(k.iommufdBind(SpecMachines.SINGLE_NIC, "X").errno()).isEqualTo(Errno.ENOENT);
        assertThat(k.group(12).ownerCount()).isZero();
    }

    @Test
    void threeDriversCountTheSameInEveryProfile() {
        // §9 S8 holds in all three: K(3), unbind one -> K(2)
        for (Profile p : Profile.values()) {
            Kernel k = Kernel.boot(SpecMachines.spec(), p);
            k.unbind(F0);
            assertThat(k.group(15).ownerCount()).as(p.key()).isEqualTo(2);
            k.unbind(F1);
            k.unbind(F2);
            assertThat(k.claimDmaOwner(15, "u").errno()).as(p.key()).isEqualTo(Errno.OK);
        }
    }

    private static java.util.List<String> names(OpResult r) {
        return r.frames().stream().map(Frame::function).toList();
    }

    @Test
    void membersDemandingDifferentTypesGetTheGlobalDefaultIn61AndIdentityInNewest() {
        // §1.3: 6.1 probe_alloc_default_domain() warns and uses the global default (DMA-FQ here);
        // newest iommu_get_default_domain_type() prefers IDENTITY
        Topology t = conflictingFunctions();
        Kernel k61 = Kernel.boot(t, Profile.LINUX_6_1);
        Kernel newest = Kernel.boot(t, Profile.NEWEST);
        IommuGroup g61 = k61.device("0000:01:00.0").group();
        assertThat(g61).isSameAs(k61.device("0000:01:00.1").group());
        assertThat(g61.sysfsType()).isEqualTo("DMA-FQ");
        assertThat(newest.device("0000:01:00.0").group().sysfsType()).isEqualTo("identity");
        // newest, "auto" on the unbound group: identity again; a type one member cannot have: EINVAL (§5)
        int g = newest.device("0000:01:00.0").group().id();
        newest.unbind("0000:01:00.0");
        newest.unbind("0000:01:00.1");
        assertThat(newest.setGroupType(g, "DMA").errno()).isEqualTo(Errno.EINVAL);
        assertThat(newest.setGroupType(g, "auto").errno()).isEqualTo(Errno.OK);
        assertThat(newest.group(g).sysfsType()).isEqualTo("identity");
    }

    @Test
    void newestWarnsWhenAClaimedGroupEmpties() {
        // §1.6, §3.10, §8 I12: __iommu_group_free_device() WARNs if the group empties while owned; 6.1 does not
        for (Profile p : List.of(Profile.LINUX_6_1, Profile.NEWEST)) {
            Kernel k = Kernel.boot(SpecMachines.spec(), p);
            k.unbind(NIC_A);
            k.unbind(NIC_B);
            k.claimDmaOwner(7, "user");
            assertThat(k.remove(NIC_A).warnings()).as(p.key()).isEmpty();
            assertThat(k.remove(NIC_B).warnings()).as(p.key()).hasSize(p == Profile.NEWEST ? 1 : 0);
        }
    }

    @Test
    void anAttachedDeviceMovesItsGroupToAnotherPageTable() {
        // iommufd_device_replace() (6.12): the group's attached devices move together; a device that is not
        // attached cannot pick a page table other than its group's (iommufd_device_do_attach(): -EINVAL)
        Kernel k = bothNicsOnVfioPci();
        assertThat(k.iommufdBind(NIC_A, "X").errno()).isEqualTo(Errno.OK);
        assertThat(k.iommufdBind(NIC_B, "X").errno()).isEqualTo(Errno.OK);
        assertThat(k.iommufdAttach(NIC_A, "h1").errno()).isEqualTo(Errno.OK);
        assertThat(k.iommufdAttach(NIC_B, "h2").errno()).isEqualTo(Errno.EINVAL);
        k.iommufdAttach(NIC_B, "h1");
        assertThat(k.iommufdAttach(NIC_A, "h2").errno()).isEqualTo(Errno.OK);
        assertThat(k.group(7).domain().label()).contains("h2");
        assertThat(k.iommufdAttach(NIC_B, "h2").errno()).isEqualTo(Errno.OK); // already there
    }

    @Test
    void everyRuleIsAskedWhereTheKernelsDiffer() throws java.io.IOException {
        // the compare view promises that each listed rule changes the engine's behaviour somewhere
        StringBuilder sources = new StringBuilder();
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java/dev/iommufx/engine"))) {
            for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("ProfileRule.java")) {
                    // code only: a rule named in a comment is not asked
                    String code = java.nio.file.Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "")
                            .replaceAll("//[^\n]*", "");
                    sources.append(code);
                }
            }
        }
        assertThat(Arrays.stream(ProfileRule.values()))
                .allSatisfy(r -> assertThat(sources.toString()).contains("ProfileRule." + r.name()));
    }

    /** newest, §9 S1's group 7 with both functions on vfio-pci and nothing claimed (§9 S9's starting state). */
    private static Kernel bothNicsOnVfioPci() {
        Kernel k = Kernel.boot(SpecMachines.spec(), Profile.NEWEST);
        for (String f : new String[] {NIC_A, NIC_B}) {
            k.unbind(f);
            k.driverOverride(f, "vfio-pci");
            k.bind(f, "vfio-pci");
        }
        return k;
    }

    @Test
    void aDerivedGroupTakesTheTypeItsOneDemandingMemberAsksForWhicheverFunctionItIs() {
        // §1.3 boot: probe_alloc_default_domain() picks one type for the whole group after all its devices are
        // probed; a single demanding device decides it, here function 1 (function 0 demands nothing)
        Topology t = conflictingFunctions();
        Topology oneDemands = new Topology("one demands", "", DomainType.DMA_FQ, List.of(t.device("0000:00:1c.0"),
                new DeviceSpec("0000:01:00.0", BusType.PCI, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, null, null,
                        "e1000e", null, true, PcieType.ENDPOINT, null, null, null, null),
                new DeviceSpec("0000:01:00.1", BusType.PCI, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, null, null,
                        "e1000e", null, false, PcieType.ENDPOINT, null, null, DomainType.IDENTITY, null)),
                SpecMachines.drivers(), List.of());
        for (Profile p : Profile.values()) {
            IommuGroup g = Kernel.boot(oneDemands, p).device("0000:01:00.0").group();
            assertThat(g.devices()).as(p.key()).hasSize(2);
            assertThat(g.sysfsType()).as(p.key()).isEqualTo("identity");
        }
    }

    /** §9 machine with S5's group 12 and S6's group 13 unbound: two unowned singleton groups. */
    private static Kernel twoUnboundSingletons(Profile p) {
        Kernel k = Kernel.boot(SpecMachines.spec(), p);
        k.unbind(SpecMachines.SINGLE_NIC);
        k.unbind(SpecMachines.GPU);
        return k;
    }

    private static Topology conflictingFunctions() {
        DeviceSpec port = new DeviceSpec("0000:00:1c.0", BusType.PCI, null, 0x8086, 0x7ab8, 0x060400, null, null,
                "pcieport", null, false, PcieType.ROOT_PORT, new dev.iommufx.model.Acs(0x005f, 0x001d), null, null,
                null);
        DeviceSpec f0 = new DeviceSpec("0000:01:00.0", BusType.PCI, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, null,
                null, "e1000e", null, true, PcieType.ENDPOINT, null, null, DomainType.IDENTITY, null);
        DeviceSpec f1 = new DeviceSpec("0000:01:00.1", BusType.PCI, "0000:00:1c.0", 0x8086, 0x10d3, 0x020000, null,
                null, "e1000e", null, false, PcieType.ENDPOINT, null, null, DomainType.DMA, null);
        return new Topology("conflict", "", DomainType.DMA_FQ, List.of(port, f0, f1), SpecMachines.drivers(),
                List.of());
    }

    @Test
    void aRescannedFirmwareDescribedDeviceWaitsForItsFirstDmaConfigureAgain() {
        // §2.4/§7a: after remove + rescan the group again comes from the firmware step of dma_configure (v7, 6.1),
        // here of e1000e's autoprobe at rescan; so v7 again counts nothing and WARNs at unbind. Newest groups the
        // device when it is added, and counts it.
        for (Profile p : Profile.values()) {
            Kernel k = Kernel.boot(SpecMachines.lateGroup(), p);
            k.bind(ERIC_NIC, "e1000e");
            k.unbind(ERIC_NIC);
            k.remove(ERIC_NIC);
            assertThat(k.group(3)).as(p.key()).isNull();
            k.rescan();
            assertThat(k.device(ERIC_NIC).sysfsDriver().name()).as(p.key()).isEqualTo("e1000e");
            assertThat(k.group(3).ownerCount()).as(p.key()).isEqualTo(p == Profile.V7_SERIES ? 0 : 1);
            assertThat(k.unbind(ERIC_NIC).warnings()).as(p.key()).hasSize(p == Profile.V7_SERIES ? 1 : 0);
        }
    }

    @Test
    void aDerivedGroupDoesNotTakeTheNumberTheFirmwareWillGive() {
        // the firmware-described NIC declares group 0; a derived PCI function must not get 0 meanwhile
        DeviceSpec nic = new DeviceSpec(ERIC_NIC, BusType.PCI, null, 0x8086, 0x10d3, 0x020000, null, null, null, 0,
                false, PcieType.ENDPOINT, null, null, null, null, null, true);
        DeviceSpec other = new DeviceSpec("0000:00:02.0", BusType.PCI, null, 0x8086, 0x10d3, 0x020000, null, null,
                "e1000e", null, false, PcieType.RC_INTEGRATED_ENDPOINT, null, null, null, null);
        Topology t = new Topology("mixed", "", DomainType.DMA, List.of(nic, other), SpecMachines.drivers(),
                List.of(new dev.iommufx.model.GroupSpec(0, DomainType.DMA)));
        for (Profile p : List.of(Profile.V7_SERIES, Profile.LINUX_6_1)) {
            Kernel k = Kernel.boot(t, p);
            assertThat(k.device("0000:00:02.0").group().id()).as(p.key()).isNotZero();
            k.bind(ERIC_NIC, "e1000e");
            assertThat(k.device(ERIC_NIC).group().id()).isZero();
            assertThat(k.device(ERIC_NIC).group().devices()).hasSize(1);
        }
    }

    @Test
    void whatIfDerivesTheGroupsOfFirmwareDescribedFunctionsToo() throws Exception {
        // pci_device_group() groups these PCI functions on ACPI/IORT too; only the moment differs
        Topology eric = dev.iommufx.io.TopologyReader.read(java.nio.file.Path.of(
                "topologies/history/eric-auger-qdf2400.json"));
        assertThat(WhatIf.differences(eric, WhatIf.derived(eric)))
                .containsExactly("no change: the groups are the same");
    }
}

