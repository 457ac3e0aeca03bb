package dev.iommufx.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.doctor.Finding.Severity;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness rules on small pastes that state one thing each, and on the SR-IOV snapshot. */
class DoctorTest {
    /** Two lspci -nnvmm records without IOMMUGroup: the source lists no groups. */
    private static final String NO_GROUPS = """
            Slot:\t00:02.0
            Class:\tVGA compatible controller [0300]
            Vendor:\tIntel Corporation [8086]
            Device:\tUHD Graphics 630 [3e92]

            Slot:\t01:00.0
            Class:\tVGA compatible controller [0300]
            Vendor:\tNVIDIA Corporation [10de]
            Device:\tGP107 [1c82]
            """;

    private static Readiness examine(String paste) throws Exception {
        return Doctor.examine(Importers.parseText(paste, "paste").topology());
    }

    private static List<String> texts(Readiness r, Severity s) {
        return r.findings().stream().filter(f -> f.severity() == s).map(Finding::text).toList();
    }

    @Test
    void theCommandLineThatTurnsTheIommuOffIsNamed() throws Exception {
        Readiness r = examine("BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=off\n" + NO_GROUPS);
        assertThat(r.iommu().enabled()).isFalse();
        assertThat(texts(r, Severity.ERROR)).singleElement().asString()
                .contains("The IOMMU is off", "The kernel command line turns it off (intel_iommu=off)");
        assertThat(r.worst()).isEqualTo(Severity.ERROR);
    }

    @Test
    void noGroupsAndNothingElseIsNotKnownNotOff() throws Exception {
        Readiness r = examine(NO_GROUPS);
        assertThat(r.iommu().enabled()).isNull();
        assertThat(texts(r, Severity.ERROR)).isEmpty();
        assertThat(texts(r, Severity.INFO)).anySatisfy(t -> assertThat(t)
                .startsWith("The source does not say whether the IOMMU is on"));
    }

    @Test
    void theLogsDefaultDomainLineAndItsInvalidationPolicy() throws Exception {
        String groups = "[    0.9] pci 0000:00:02.0: Adding to iommu group 0\n";
        Readiness strict = examine("[    0.3] iommu: Default domain type: Translated\n"
                + "[    0.3] iommu: DMA domain TLB invalidation policy: strict mode\n" + groups);
        assertThat(strict.iommu().defaultDomainTypes()).containsExactly("DMA");
        Readiness lazy = examine("[    0.3] iommu: Default domain type: Translated\n"
                + "[    0.3] iommu: DMA domain TLB invalidation policy: lazy mode\n" + groups);
        assertThat(lazy.iommu().defaultDomainTypes()).containsExactly("DMA-FQ");
        Readiness pt = examine("[    0.3] iommu: Default domain type: Passthrough (set via kernel command line)\n"
                + groups);
        assertThat(pt.iommu().defaultDomainTypes()).containsExactly("identity");
        assertThat(texts(pt, Severity.INFO)).anySatisfy(t -> assertThat(t)
                .startsWith("Groups have the identity (passthrough) default domain"));
        Readiness none = examine(groups);
        assertThat(none.iommu().defaultDomainTypes()).isEmpty();
    }

    @Test
    void sriovTotalAndEnabledVirtualFunctions() throws Exception {
        Topology t = Importers.open(Path.of("src/test/resources/fixtures/kernel-6.1-machines/T8-sriov-vfs.tar.gz"))
                .topology();
        Readiness r = Doctor.examine(t);
        Readiness.Sriov pf = r.devices().get("0000:01:00.0").sriov();
        assertThat(List.of(pf.totalVfs(), pf.enabledVfs())).containsExactly(2, 2);
        assertThat(r.findings()).filteredOn(f -> "0000:01:00.0".equals(f.device()) && f.severity() == Severity.INFO)
                .extracting(Finding::text).anySatisfy(t2 -> assertThat(t2)
                        .contains("supports SR-IOV: up to 2 virtual functions, 2 enabled"));
    }
}
