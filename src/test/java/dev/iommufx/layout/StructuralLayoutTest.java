package dev.iommufx.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineLayout.Edge;
import dev.iommufx.layout.MachineLayout.LineKind;
import dev.iommufx.layout.MachineLayout.Rect;
import dev.iommufx.layout.MachineLayout.Tile;
import dev.iommufx.layout.StructuralLayout.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The structural layout: blocks in rows and columns, chains collapsed, identical siblings folded, nothing lost. */
class StructuralLayoutTest {

    private static MachineLayout lay(Kernel k, Detail detail) {
        return StructuralLayout.compute(MachineSnapshot.of(k), Options.of(detail));
    }

    @ParameterizedTest
    @EnumSource(Detail.class)
    void theFiveHundredFunctionServerFillsTheAspectRatioInsteadOfOneColumn(Detail detail) throws Exception {
        Kernel k = ServerMachines.sapphireRapids();
        assertThat(k.devices()).hasSize(483);
        assertThat(k.groups()).hasSize(462);
        MachineLayout l = lay(k, detail);
        double aspect = l.width() / l.height();
        assertThat(aspect).as("width / height for a wanted 1.6").isBetween(1.1, 2.4);
        Set<Double> columns = l.blocks().stream().map(b -> b.rect().x()).collect(Collectors.toSet());
        Set<Double> rows = l.blocks().stream().map(b -> b.rect().y()).collect(Collectors.toSet());
        assertThat(columns).as("block columns").hasSizeGreaterThanOrEqualTo(4);
        assertThat(rows).as("block rows").hasSizeGreaterThanOrEqualTo(2);
        assertNothingOverlapsAndTilesStayInTheirBlocks(l);
    }

    @Test
    void aWiderWindowGetsAWiderDrawing() throws Exception {
        MachineSnapshot m = MachineSnapshot.of(ServerMachines.sapphireRapids());
        MachineLayout wide = StructuralLayout.compute(m, new Options(3.0, Detail.OVERVIEW, 4));
        MachineLayout tall = StructuralLayout.compute(m, new Options(0.7, Detail.OVERVIEW, 4));
        assertThat(wide.width() / wide.height()).isGreaterThan(2.0);
        assertThat(tall.width() / tall.height()).isLessThan(1.0);
    }

    @Test
    void everyGroupIsInExactlyOneTileOrEdge() throws Exception {
        List<Kernel> machines = new ArrayList<>(List.of(ServerMachines.sapphireRapids(),
                ServerMachines.hwloc(ServerMachines.DGX2), ServerMachines.hwloc(ServerMachines.VIC),
                Kernel.boot(ServerMachines.gpuServer(16, List.of(3))),
                Kernel.boot(ServerMachines.bridgePath(40, true))));
        for (String bundled : List.of("workstation.json", "sriov-nic.json", "t5-switch.json", "t2-pcibridge.json")) {
            machines.add(Kernel.boot(MachineFiles.load(MachineFiles.locate("bundled:" + bundled)).topology()));
        }
        for (Kernel k : machines) {
            for (Detail detail : Detail.values()) {
                MachineLayout l = lay(k, detail);
                Map<Integer, Integer> seen = new HashMap<>();
                l.tiles().forEach(t -> t.groups().forEach(g -> seen.merge(g, 1, Integer::sum)));
                l.edges().forEach(e -> e.groups().forEach(g -> seen.merge(g, 1, Integer::sum)));
                Set<Integer> withMembers = k.groups().stream().filter(g -> !g.devices().isEmpty())
                        .map(g -> g.id()).collect(Collectors.toSet());
                assertThat(seen.keySet()).as(k.topology().name()).isEqualTo(withMembers);
                assertThat(seen.values()).as(k.topology().name()).allMatch(n -> n == 1);
                assertNothingOverlapsAndTilesStayInTheirBlocks(l);
            }
        }
    }

    @Test
    void aChainOfBridgeOnlyGroupsBecomesOneEdgeWithItsCount() {
        Kernel k = Kernel.boot(ServerMachines.bridgePath(5, true));
        MachineLayout l = lay(k, Detail.OVERVIEW);
        assertThat(l.edges()).hasSize(1);
        Edge e = l.edges().get(0);
        assertThat(e.bridges()).isEqualTo(5);
        assertThat(e.label()).isEqualTo("5 bridges");
        assertThat(e.groups()).containsExactly(0, 1, 2, 3, 4);
        assertThat(e.states()).hasSize(5);
        assertThat(l.tiles()).singleElement().satisfies(t -> {
            assertThat(t.group()).isEqualTo(5);
            assertThat(e.y2()).isEqualTo(t.rect().y());
            assertThat(t.primary()).startsWith("00:05.0");
        });
    }

    @Test
    void aChainOfBridgesInsideOneGroupIsOneLineOfItsCard() {
        Kernel k = Kernel.boot(ServerMachines.bridgePath(7, false));
        MachineLayout l = lay(k, Detail.CARDS);
        Tile t = l.tiles().get(0);
        assertThat(t.lines()).hasSize(2);
        assertThat(t.lines().get(0).kind()).isEqualTo(LineKind.BRIDGES);
        assertThat(t.lines().get(0).count()).isEqualTo(7);
        assertThat(t.lines().get(0).text()).startsWith("7 bridges  00:00.0 → 00:06.0");
        assertThat(t.lines().get(1).text()).startsWith("00:07.0");
        assertThat(t.lines().get(1).indent()).isEqualTo(1);
        assertThat(t.title()).isEqualTo("Group 0  (8 devices)");
    }

    @Test
    void identicalSiblingGroupsFoldWithTheirCountAndTheOddOneStaysApart() {
        Kernel k = Kernel.boot(ServerMachines.gpuServer(16, List.of(5)));
        MachineLayout l = lay(k, Detail.OVERVIEW);
        assertThat(l.tiles()).hasSize(2);
        Tile folded = l.tiles().stream().filter(t -> t.count() > 1).findFirst().orElseThrow();
        assertThat(folded.count()).isEqualTo(15);
        assertThat(folded.groups()).hasSize(30).contains(0, 1, 31).doesNotContain(10, 11);
        assertThat(folded.title()).isEqualTo("15 × group 1 … 31");
        assertThat(folded.primary()).contains("nouveau");
        Tile odd = l.tiles().stream().filter(t -> t.count() == 1).findFirst().orElseThrow();
        assertThat(odd.group()).isEqualTo(11);
        assertThat(odd.primary()).contains("vfio-pci");
        assertThat(l.edges()).singleElement().satisfies(e -> assertThat(e.groups()).containsExactly(10));
    }

    @Test
    void foldingCanBeTurnedOff() {
        Kernel k = Kernel.boot(ServerMachines.gpuServer(16, List.of()));
        MachineLayout l = StructuralLayout.compute(MachineSnapshot.of(k),
                new Options(1.6, Detail.OVERVIEW, Integer.MAX_VALUE));
        assertThat(l.tiles()).hasSize(16).allMatch(t -> t.count() == 1);
        assertThat(l.edges()).hasSize(16);
    }

    @Test
    void foldedTilesKeepTheirStateAndDifferentStatesAreNotFolded() {
        Kernel k = Kernel.boot(ServerMachines.gpuServer(8, List.of()));
        // a GPU on vfio-pci claimed by a user has another state: it must stay apart although its IDs are the same
        assertThat(k.unbind("0000:03:00.0").ok()).isTrue();
        assertThat(k.driverOverride("0000:03:00.0", "vfio-pci").ok()).isTrue();
        assertThat(k.bind("0000:03:00.0", "vfio-pci").ok()).isTrue();
        assertThat(k.vfioOpenGroup(5, "G").ok()).isTrue();
        assertThat(k.vfioOpenContainer("C").ok()).isTrue();
        assertThat(k.vfioSetContainer("G", "C").ok()).isTrue();
        assertThat(k.group(5).state()).isEqualTo(GroupState.BLOCKED);
        MachineLayout l = lay(k, Detail.OVERVIEW);
        assertThat(l.tiles()).hasSize(2);
        assertThat(l.tiles()).filteredOn(t -> t.group() == 5).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(GroupState.BLOCKED));
        assertThat(l.tiles()).filteredOn(t -> t.count() == 7).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(GroupState.DMA_API_OWNED));
    }

    @ParameterizedTest
    @ValueSource(ints = {3000})
    void aPathOfThousandsOfBridgesFitsTheStack(int bridges) {
        Kernel own = Kernel.boot(ServerMachines.bridgePath(bridges, true));
        assertThat(lay(own, Detail.OVERVIEW).edges()).singleElement()
                .satisfies(e -> assertThat(e.bridges()).isEqualTo(bridges));
        Kernel shared = Kernel.boot(ServerMachines.bridgePath(bridges, false));
        assertThat(lay(shared, Detail.CARDS).tiles().get(0).lines().get(0).count()).isEqualTo(bridges);
    }

    @Test
    void theDgx2SwitchesAreCollapsedInItsCards() throws Exception {
        MachineLayout l = lay(ServerMachines.hwloc(ServerMachines.DGX2), Detail.CARDS);
        assertThat(l.blocks()).hasSize(4);
        long bridgeRuns = l.tiles().stream().flatMap(t -> t.lines().stream())
                .filter(line -> line.kind() == LineKind.BRIDGES).count();
        assertThat(bridgeRuns).isGreaterThanOrEqualTo(8);
        int shownDevices = l.tiles().stream().flatMap(t -> t.lines().stream())
                .mapToInt(line -> line.kind() == LineKind.DEVICE ? 1 : line.count()).sum();
        assertThat(shownDevices).as("every device stands in a line, alone or counted").isEqualTo(84);
    }

    /** Tiles and blocks do not overlap their own kind; every tile lies inside one block. */
    static void assertNothingOverlapsAndTilesStayInTheirBlocks(MachineLayout l) {
        List<Rect> blocks = l.blocks().stream().map(MachineLayout.Block::rect).toList();
        assertNoOverlap(blocks, "blocks");
        assertNoOverlap(l.tiles().stream().map(Tile::rect).toList(), "tiles");
        for (Tile t : l.tiles()) {
            assertThat(blocks.stream().filter(b -> b.contains(t.rect())).count()).as("blocks holding group " + t.group())
                    .isEqualTo(1);
        }
        for (Rect b : blocks) {
            assertThat(b.right()).isLessThanOrEqualTo(l.width());
            assertThat(b.bottom()).isLessThanOrEqualTo(l.height());
        }
    }

    private static void assertNoOverlap(List<Rect> rects, String what) {
        List<Rect> sorted = new ArrayList<>(rects);
        sorted.sort((a, b) -> Double.compare(a.x(), b.x()));
        for (int i = 0; i < sorted.size(); i++) { // sweep along x: only boxes that start before this one ends
            for (int j = i + 1; j < sorted.size() && sorted.get(j).x() < sorted.get(i).right(); j++) {
                assertThat(sorted.get(i).overlaps(sorted.get(j))).as(what + " " + sorted.get(i) + " and "
                        + sorted.get(j)).isFalse();
            }
        }
    }
}
