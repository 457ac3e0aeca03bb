package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import dev.iommufx.plan.ApplyResult;
import dev.iommufx.plan.MemberAction;
import dev.iommufx.plan.MemberPlan;
import dev.iommufx.plan.PassthroughPlanner;
import dev.iommufx.plan.Plan;
import dev.iommufx.plan.RevertScriptExport;
import dev.iommufx.plan.ShellScriptExport;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plan on each pasted listing: vfio-pci is loaded first (a listing never shows it registered), devices whose
 * driver the listing does not state are planned for as bound, and the simulator ends with the group user-claimed
 * or the plan says exactly why not.
 */
class PlanOnPastedTest {
    /** A display controller if the machine has one, else its first endpoint that is no bridge. */
    private static DeviceSpec target(Topology t) {
        return t.devices().stream().filter(d -> d.bdf() != null && d.group() != null)
                .filter(d -> d.pciClass() >> 16 != 0x06)
                .min(Comparator.comparing((DeviceSpec d) -> d.pciClass() >> 16 != 0x03).thenComparing(DeviceSpec::id))
                .orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-find-type-l/01.txt", "2-ls-devices/04.txt", "2-ls-devices/05.txt", "3-compgen/02.txt",
            "4-hash-group-blocks/03.txt", "5-r15ch13-gist/01.txt", "6-per-iommu-tree/01.txt", "7-driver-lines/03.txt",
            "7-driver-lines/10.txt", "7-driver-lines/11.txt", "8-nodedev-dumpxml/01.txt", "extra-ls-reset-loop/01.txt"})
    void aPlanLoadsVfioPciAndEndsUserClaimedOrSaysWhyNot(String file) throws Exception {
        Topology t = Importers.parseText(Snapshots.text("/imports/pasted/" + file), file).topology();
        DeviceSpec d = target(t);
        Kernel k = Kernel.boot(t);
        Plan p = PassthroughPlanner.plan(k, List.of(d.id()), "vm");
        boolean registered = t.driver(BusType.PCI, "vfio-pci").loaded(); // a listing that shows it bound
        assertThat(p.modules()).isEqualTo(registered ? List.of() : List.of("vfio_pci"));
        ApplyResult applied = p.applyTo(k);
        if (p.refusals().isEmpty()) {
            assertThat(applied.everyGroupUserClaimed()).as(file + " " + d.id() + ": " + applied.failure()).isTrue();
        } else {
            assertThat(p.refusals()).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
        }
    }

    @Test
    void unknownDriversAreMovedOrLeftAsTheirKindSays() throws Exception {
        Topology t = Importers.parseText(Snapshots.text("/imports/pasted/4-hash-group-blocks/01.txt"), "l")
                .topology();
        Kernel k = Kernel.boot(t);
        Plan p = PassthroughPlanner.plan(k, List.of("01:00.0"), "vm");
        MemberPlan bridge = member(p, "0000:00:01.0");
        MemberPlan audio = member(p, "0000:01:00.1");
        assertThat(audio.action()).isEqualTo(MemberAction.MUST_LEAVE);
        assertThat(audio.currentDriver()).isEqualTo(DriverSpec.UNKNOWN);
        assertThat(audio.reason()).startsWith("the source does not say which driver 0000:01:00.1 uses; if it is bound,");
        assertThat(bridge.action()).isEqualTo(MemberAction.UNBIND);
        assertThat(bridge.reason()).contains("pcieport, which manages its own DMA and is left alone");
        assertThat(p.applyTo(k).everyGroupUserClaimed()).isTrue();
        String script = ShellScriptExport.render(p);
        assertThat(script).doesNotContain("(unknown)").contains("modprobe").contains("is bound to pcieport");
        String revert = RevertScriptExport.render(p); // back to whatever driver the kernel picks
        assertThat(revert).doesNotContain("'(unknown)'")
                .contains("write_attr \"$SYSFS/bus/pci/drivers_probe\" '0000:01:00.1'");
    }

    private static MemberPlan member(Plan p, String id) {
        return p.members().stream().filter(m -> m.device().equals(id)).findFirst().orElseThrow();
    }
}
