package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons given match how the kernel grouped each real machine (fixtures/kernel-6.1 README table, §6.4). */
class GroupExplainerTest {

    private static List<String> explain(String record, String bdf) {
        Kernel k = Kernel.boot(FixtureRecord.load("kernel-6.1/" + record).topology());
        return new GroupExplainer(k).explain(k.device(bdf));
    }

    @Test
    void behindAPcieToPciBridge() {
        // T2: {BR, A, B} — the PCIe-to-PCI bridge takes the requester IDs of the devices behind it (§6.3)
        assertThat(explain("T2-pcibridge-claim.json", "0000:02:01.0")).first().asString()
                .contains("behind PCIe-to-PCI bridge 0000:01:00.0", "takes its requester ID");
    }

    @Test
    void belowADownstreamPortWithoutAcs() {
        // T5: {DN1, A} — xio3130 downstream ports have no ACS capability (fixture README, QEMU artefacts)
        assertThat(explain("T5-switch-claim.json", "0000:03:00.0")).first().asString()
                .contains("0000:02:00.0 (downstream port without an ACS capability)", "shares a group with 0000:02:00.0");
    }

    @Test
    void aFunctionOfAMultifunctionDeviceWithoutAcs() {
        // T3: {A, B} — two e1000e functions of one slot, no ACS (§6.4 get_pci_function_alias_group)
        assertThat(explain("T3-multifunction-claim.json", "0000:01:00.1")).first().asString()
                .contains("function of a multifunction device without ACS", "0000:01:00.0");
    }

    @Test
    void isolatedBelowARootPortWithAcs() {
        // T1: {A} alone — QEMU's pcie-root-port has ACS (cap 005f, ctrl 001d)
        List<String> why = explain("T1-rootports-claim.json", "0000:01:00.0");
        assertThat(why.get(0)).contains("isolated", "SV, RR, CR, UF");
        assertThat(why.get(1)).isEqualTo("group 4: 0000:01:00.0 (0000:01:00.0)");
    }
}
