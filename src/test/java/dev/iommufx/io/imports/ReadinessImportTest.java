package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.doctor.Doctor;
import dev.iommufx.doctor.Finding;
import dev.iommufx.doctor.Finding.Severity;
import dev.iommufx.doctor.Readiness;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.Kernel;
import dev.iommufx.model.Topology;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facts the importers carry from a source into the readiness checks: the kernel-6.1 snapshots in the
 * collector's layout (reset_method, boot_vga, cmdline, dmesg.txt), the same snapshot with the IOMMU off, and
 * listings that state only part of it.
 */
class ReadinessImportTest {
    private static final Path T7 = Path.of("src/test/resources/fixtures/kernel-6.1-machines/T7-workstation-dma.tar.gz");

    private static List<String> texts(Readiness r, Severity s, String device) {
        return r.findings().stream().filter(f -> f.severity() == s && java.util.Objects.equals(f.device(), device))
                .map(Finding::text).toList();
    }

    @Test
    void aSnapshotTellsTheIommuRemappingDomainsResetsAndTheBootGpu() throws Exception {
        Topology t = Importers.open(T7).topology();
        Readiness r = Doctor.examine(t);
        Readiness.Iommu i = r.iommu();
        assertThat(List.of(i.enabled(), i.interruptRemapping(), i.acsOverride())).containsExactly(true, true, false);
        assertThat(i.defaultDomainTypes()).containsExactly("DMA-FQ");
        assertThat(i.cmdline()).contains("intel_iommu=on");
        // the GPU has no FLR: reset_method says "bus", and the bus reset also takes its audio function along
        assertThat(r.devices().get("0000:01:00.0").reset()).containsExactly("bus");
        assertThat(r.devices().get("0000:01:00.0").bootVga()).isTrue();
        assertThat(r.devices().get("0000:03:00.0").reset()).containsExactly("flr", "bus");
        assertThat(texts(r, Severity.WARNING, "0000:01:00.0")).anySatisfy(w -> assertThat(w)
                .contains("a GPU without FLR", "through 0000:00:02.0", "also resets 0000:01:00.1"))
                .anySatisfy(w -> assertThat(w).contains("is the boot VGA device"));
        assertThat(r.worst()).isEqualTo(Severity.WARNING);
    }

    @Test
    void withoutIommuGroupsTheIommuIsOffAndAPlanIsRefusedForThatReason(@TempDir Path dir) throws Exception {
        Snapshots.extract(T7, dir);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                boolean groups = dir.relativize(p).startsWith("sys/kernel/iommu_groups") && !p.endsWith("iommu_groups");
                if (groups || p.getFileName().toString().equals("iommu_group")) {
                    Files.delete(p);
                }
            }
        }
        ImportResult imported = Importers.open(dir);
        Topology t = imported.topology();
        assertThat(t.iommuEnabled()).isFalse();
        assertThat(t.devices()).allSatisfy(d -> assertThat(d.group()).isNull());
        Kernel k = Kernel.boot(t);
        assertThat(k.groups()).isEmpty(); // no group derived as if the IOMMU were on
        Readiness r = Doctor.examine(t);
        assertThat(r.iommu().enabled()).isFalse();
        assertThat(texts(r, Severity.ERROR, null)).singleElement().asString()
                .startsWith("The IOMMU is off: the kernel made no IOMMU group, so vfio-pci cannot take any device");
        Plan p = PassthroughPlanner.plan(k, List.of("01:00.0"), "vm");
        assertThat(p.refusals()).singleElement().satisfies(ref -> {
            assertThat(ref.errno()).isEqualTo(Errno.EINVAL);
            assertThat(ref.reason()).startsWith("the IOMMU is off on this machine");
        });
    }

    @Test
    void aListingTellsTheAcsOverrideAndRemappingOffFromThePastedLog() throws Exception {
        String paste = String.join("\n",
                "$ cat /proc/cmdline",
                "BOOT_IMAGE=/vmlinuz root=/dev/sda1 amd_iommu=on pcie_acs_override=downstream,multifunction",
                "$ dmesg | grep -i -e iommu -e remapping",
                "[    0.512345] AMD-Vi: Interrupt remapping disabled",
                "[    0.612345] pci 0000:00:01.0: Adding to iommu group 0",
                "[    0.612400] pci 0000:01:00.0: Adding to iommu group 1",
                "[    0.700000] x2apic: IRQ remapping doesn't support X2APIC mode");
        Topology t = Importers.parseText(paste, "paste").topology();
        Readiness r = Doctor.examine(t);
        assertThat(r.iommu().acsOverride()).isTrue();
        assertThat(r.iommu().interruptRemapping()).isFalse();
        assertThat(texts(r, Severity.WARNING, null)).anySatisfy(w -> assertThat(w)
                .contains("pcie_acs_override=downstream,multifunction", "out-of-tree patch, not in mainline Linux"));
        assertThat(texts(r, Severity.ERROR, null)).anySatisfy(e -> assertThat(e)
                .contains("Interrupt remapping is off", "allow_unsafe_interrupts"));
    }

    @Test
    void aGistWithoutResetMarkOnAGpuWarnsAndSaysNothingItCannotKnow() throws Exception {
        Topology t = Importers.parseText(Snapshots.text("/imports/pasted/extra-ls-reset-loop/01.txt"), "l1t")
                .topology();
        Readiness r = Doctor.examine(t);
        assertThat(r.devices().get("0000:c5:00.0").reset()).isNull(); // no [RESET]: none, but which is not known
        assertThat(texts(r, Severity.WARNING, "0000:c5:00.0")).singleElement().asString()
                .contains("has no reset file", "GPU \"reset bug\"");
        assertThat(r.iommu().interruptRemapping()).isNull(); // no kernel log in the paste
        assertThat(r.iommu().cmdline()).isNull();
        assertThat(r.iommu().acsOverride()).isNull();
    }
}
