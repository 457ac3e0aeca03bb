package dev.iommufx.engine.pci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.PcieType;
import org.junit.jupiter.api.Test;

/** Entries of the kernel's pci_dev_acs_enabled[] (drivers/pci/quirks.c; kernel-model §6.2). */
class AcsQuirksTest {

    private static DeviceSpec intel(int device, PcieType type) {
        return DeviceSpec.pci("0000:00:1c.0", null, 0x8086, device, 0x060400, null, null, type);
    }

    @Test
    void intelPchRootPortsAreIsolated() {
        // pci_quirk_intel_pch_acs_ids[] (Cougarpoint 0x1c10-0x1c1f) and spt match (Union Point 0xa290-0xa29f)
        assertThat(AcsQuirks.lookup(intel(0x1c12, PcieType.ROOT_PORT))).isTrue();
        assertThat(AcsQuirks.lookup(intel(0xa295, PcieType.ROOT_PORT))).isTrue();
        assertThat(AcsQuirks.lookup(intel(0xa295, PcieType.ENDPOINT))).as("root ports only").isNull();
    }

    @Test
    void intelRcieps82571AndI219AreIsolated() {
        // pci_quirk_rciep_acs for every Intel RC_END; pci_quirk_mf_endpoint_acs for 82571 non-quad and I219 (§6.2)
        assertThat(AcsQuirks.lookup(intel(0x4680, PcieType.RC_INTEGRATED_ENDPOINT))).isTrue();
        assertThat(AcsQuirks.lookup(intel(0x105e, PcieType.ENDPOINT))).isTrue();
        assertThat(AcsQuirks.lookup(intel(0x15b8, PcieType.ENDPOINT))).isTrue();
        assertThat(AcsQuirks.lookup(intel(0x10d3, PcieType.ENDPOINT))).as("82574L (QEMU's e1000e) has none").isNull();
    }
}
