package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The what-if switches re-derive the groups (kernel-model §6.2, §6.4 and its note on switch grouping). */
class WhatIfTest {

    private static Topology t5() {
        return FixtureRecord.load("kernel-6.1/T5-switch-claim.json").topology();
    }

    @Test
    void enablingAcsOnARootPortSplitsItsGroup() throws Exception {
        // §6.4: "An endpoint directly below a root port ... without ACS joins the group of that port"
        Topology t = TopologyReader.read(Path.of("topologies/lesson-harmless-siblings.json"));
        Topology after = WhatIf.apply(t, new WhatIf.Options(Set.of("0000:00:1d.0"), false, false, false));
        assertThat(after.device("0000:02:00.0").group()).isNotEqualTo(after.device("0000:00:1d.0").group());
        assertThat(WhatIf.differences(t, after)).anySatisfy(l -> assertThat(l).contains("no longer a group"));
    }

    @Test
    void theAcsOverrideSeparatesEndpointsFromDownstreamPorts() {
        // T5: the kernel gives {DN1, A}; pcie_acs_override=downstream treats the ports as isolating
        Topology after = WhatIf.apply(t5(), new WhatIf.Options(Set.of(), true, false, false));
        assertThat(after.device("0000:03:00.0").group()).isNotEqualTo(after.device("0000:02:00.0").group());
    }

    @Test
    void theAcsOverrideForMultifunctionSplitsAGpuFromItsAudio() throws Exception {
        Topology ws = TopologyReader.read(Path.of("topologies/workstation.json"));
        Topology after = WhatIf.apply(ws, new WhatIf.Options(Set.of(), false, true, false));
        assertThat(after.device("0000:01:00.0").group()).isNotEqualTo(after.device("0000:01:00.1").group());
    }

    @Test
    void specCorrectGroupingJoinsEverythingBelowNonAcsDownstreamPortsOfOneSwitch() {
        // §6.4 "Known mis-grouping": {DSP1, EP_A} and {DSP2, EP_B} should be one group
        Topology after = WhatIf.apply(t5(), new WhatIf.Options(Set.of(), false, false, true));
        Integer g = after.device("0000:02:00.0").group();
        assertThat(after.device("0000:03:00.0").group()).isEqualTo(g);
        assertThat(after.device("0000:02:01.0").group()).isEqualTo(g);
        assertThat(after.device("0000:04:00.0").group()).isEqualTo(g);
        assertThat(after.device("0000:01:00.0").group()).as("the upstream port has its own").isNotEqualTo(g);
    }

    @Test
    void withoutOptionsTheKernelsGroupsComeBack() {
        // the derivation reproduces the records' groups (as KernelFixtureTest checks); differences: none
        Topology t = t5();
        assertThat(WhatIf.differences(t, WhatIf.derived(t))).containsExactly("no change: the groups are the same");
    }
}
