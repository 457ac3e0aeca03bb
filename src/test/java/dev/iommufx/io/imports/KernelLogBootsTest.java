package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.doctor.Doctor;
import dev.iommufx.doctor.Finding;
import dev.iommufx.doctor.Readiness;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kernel log of several boots (a journal read with {@code journalctl -k -o short-monotonic}, or dmesg outputs
 * pasted one after the other) describes the machine as it booted last: its command line, its groups, whether its
 * IOMMU is on. The kernel prints its banner first at every boot ({@code init/main.c: start_kernel()}).
 */
class KernelLogBootsTest {
    private static final String BANNER = "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian"
            + " 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1";

    /** One boot's log: the banner, the command line, the IOMMU, two GPU functions and their group. */
    private static List<String> boot(String cmdline, boolean iommuOn, int gpuGroup) {
        List<String> log = new ArrayList<>(List.of(
                "[    0.000000] " + BANNER,
                "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/nvme0n1p2 ro " + cmdline,
                "[    0.019693] ACPI: DMAR 0x0000000041E6B000 000088 (v02 INTEL  EDK2     00000002      01000013)",
                "[    0.231386] DMAR: Host address width 39",
                "[    0.312000] pci 0000:01:00.0: [10de:2204] type 00 class 0x030000 PCIe Legacy Endpoint",
                "[    0.312100] pci 0000:01:00.1: [10de:1aef] type 00 class 0x040300 PCIe Endpoint"));
        if (iommuOn) {
            log.add("[    0.233051] DMAR-IR: Enabled IRQ remapping in x2apic mode");
            log.add("[    0.900000] DMAR: IOMMU enabled");
            log.add("[    1.100000] pci 0000:01:00.0: Adding to iommu group " + gpuGroup);
            log.add("[    1.100100] pci 0000:01:00.1: Adding to iommu group " + gpuGroup);
        }
        return log;
    }

    /** A fault storm: the kind of kept line that can fill the facts' log before the next boot. */
    private static List<String> faults(int n) {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            log.add(String.format("[ %5d.%06d] DMAR: [DMA Read NO_PASID] Request device [01:00.0] fault addr 0x%x"
                    + " [fault reason 0x06] PTE Read access is not set", 100 + i, i, 0xfee00000L + 64L * i));
        }
        return log;
    }

    private static ImportResult read(List<String> log) throws ImportException {
        return ListingImporter.importText(String.join("\n", log), "journal.txt");
    }

    @Test
    void theLastBootIsTheMachineEvenAfterAFaultStormLongerThanTheKeptLog() throws Exception {
        List<String> log = new ArrayList<>(boot("quiet intel_iommu=on", true, 1));
        log.addAll(faults(2_100));
        log.addAll(boot("quiet intel_iommu=on iommu=pt", true, 12));
        ImportResult result = read(log);
        Topology t = result.topology();

        assertThat(t.facts().cmdline()).endsWith("intel_iommu=on iommu=pt");
        assertThat(t.devices()).extracting(DeviceSpec::id).containsExactly("0000:01:00.0", "0000:01:00.1");
        assertThat(t.devices()).allSatisfy(d -> assertThat(d.group()).isEqualTo(12));
        assertThat(result.notes()).anySatisfy(n -> assertThat(n.toString()).contains("the log holds 2 boots",
                "the machine is read from the last one", "journal.txt:2111", "2110 lines before it skipped"));
        Readiness r = Doctor.examine(t);
        assertThat(r.iommu().enabled()).isTrue();
        assertThat(r.findings()).map(Finding::text).noneMatch(f -> f.contains("\"DMAR: IOMMU enabled\" line"));
    }

    @Test
    void aLastBootWithTheIommuTurnedOffIsAMachineWithoutGroups() throws Exception {
        List<String> log = new ArrayList<>(boot("quiet intel_iommu=on", true, 1));
        log.addAll(boot("quiet intel_iommu=off", false, 0));
        Topology t = read(log).topology();

        assertThat(t.facts().cmdline()).endsWith("intel_iommu=off");
        assertThat(t.devices()).allSatisfy(d -> assertThat(d.group()).isNull());
        assertThat(Doctor.examine(t).iommu().enabled()).isFalse();
    }

    @Test
    void journalctlsDefaultFormatWithoutTimestampsIsReadAsTheKernelLog() throws Exception {
        // journalctl -b -k, as pasted: the host's clock and name instead of dmesg's [seconds]
        List<String> log = new ArrayList<>();
        for (String line : boot("quiet intel_iommu=on iommu=pt", true, 4)) {
            log.add("Dec 04 10:00:01 nas kernel: " + line.substring(line.indexOf(']') + 2));
        }
        ImportResult result = read(log);
        Topology t = result.topology();

        assertThat(t.facts().cmdline()).endsWith("intel_iommu=on iommu=pt");
        assertThat(t.devices()).allSatisfy(d -> assertThat(d.group()).isEqualTo(4));
        assertThat(result.notes()).noneSatisfy(n -> assertThat(n.toString()).contains("not recognised"));
        Readiness r = Doctor.examine(t);
        assertThat(r.iommu().enabled()).isTrue();
        assertThat(r.iommu().interruptRemapping()).isTrue();
    }

    @Test
    void aLogOfOneBootIsReadWhole() throws Exception {
        ImportResult result = read(boot("quiet intel_iommu=on", true, 7));
        assertThat(result.topology().devices()).allSatisfy(d -> assertThat(d.group()).isEqualTo(7));
        assertThat(result.topology().facts().cmdline()).endsWith("intel_iommu=on");
        assertThat(result.notes()).noneSatisfy(n -> assertThat(n.toString()).contains("boots"));
    }
}
