package dev.iommufx.ui.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import dev.iommufx.ui.IommufxApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The search on a DGX-2 (hwloc's record of it: sixteen identical V100 GPUs behind PLX switches): every match in
 * the machine's order, walked both ways around, and forgotten when another machine is shown.
 */
class SearchViewModelTest {
    /** The V100s in the machine's order, as hwloc lists them. */
    private static final List<String> GPUS = List.of("0000:34:00.0", "0000:36:00.0", "0000:39:00.0",
            "0000:3b:00.0", "0000:57:00.0", "0000:59:00.0", "0000:5c:00.0", "0000:5e:00.0", "0000:b7:00.0",
            "0000:b9:00.0", "0000:bc:00.0", "0000:be:00.0", "0000:e0:00.0", "0000:e2:00.0", "0000:e5:00.0",
            "0000:e7:00.0");
    private static final String MODEL = "Tesla V100-SXM3-32GB-H";

    /**
     * The DGX-2 with its GPUs named as hwloc's GPUModel says (a machine opened with pci.ids installed is named so
     * too); the NVSwitches and the bridges keep no name.
     */
    static Topology dgx2() throws Exception {
        Path xml = Path.of(SearchViewModelTest.class.getResource("/imports/xml/hwloc-nvidia-dgx2.xml").toURI());
        Topology t = Importers.open(xml).topology();
        List<DeviceSpec> named = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            named.add(d.vendor() != 0x10de || d.device() != 0x1db8 ? d : new DeviceSpec(d.id(), d.bus(), d.parent(),
                    d.vendor(), d.device(), d.pciClass(), d.compatible(), MODEL, d.driver(), d.group(),
                    d.multifunction(), d.pcieType(), d.acs(), d.driverOverride(), d.requiredDomain(), d.quirks(),
                    d.physfn(), d.groupAtDmaConfigure(), d.sriov()));
        }
        return t.withDevices(named);
    }

    private static MachineViewModel machine() throws Exception {
        MachineViewModel machine = new MachineViewModel();
        machine.load(dgx2());
        return machine;
    }

    private static List<String> ids(List<DeviceItem> items) {
        return items.stream().map(DeviceItem::id).toList();
    }

    @Test
    void everyIdenticalGpuIsFoundInTheMachinesOrderAndTheFirstIsSelected() throws Exception {
        MachineViewModel machine = machine();
        SearchViewModel search = machine.search();
        for (String query : new String[] {"10DE:1DB8", "v100", "  tesla V100-SXM3  "}) {
            search.queryProperty().set(query);
            assertThat(ids(search.matches())).as(query).isEqualTo(GPUS);
            assertThat(search.indexProperty().get()).isZero();
            assertThat(search.countTextProperty().get()).isEqualTo("1 of 16");
            assertThat(machine.selectionProperty().get()).isEqualTo(Selection.device(GPUS.get(0)));
        }
        search.queryProperty().set("10de");
        assertThat(search.matches()).as("the NVSwitches are NVIDIA's too").hasSizeGreaterThan(16)
                .allMatch(d -> d.vendorDevice().startsWith("10de:"));
        search.queryProperty().set("0000:3B:00");
        assertThat(ids(search.matches())).containsExactly("0000:3b:00.0");
    }

    @Test
    void nextAndPreviousWalkEveryMatchAndWrapAround() throws Exception {
        MachineViewModel machine = machine();
        SearchViewModel search = machine.search();
        List<String> visited = new ArrayList<>();
        search.onVisit(d -> visited.add(d.id()));
        search.queryProperty().set("V100");
        List<String> walked = new ArrayList<>(List.of(machine.selectionProperty().get().id()));
        for (int i = 1; i < GPUS.size(); i++) {
            search.next();
            walked.add(machine.selectionProperty().get().id());
            assertThat(search.countTextProperty().get()).isEqualTo((i + 1) + " of 16");
        }
        assertThat(walked).isEqualTo(GPUS);
        search.next();
        assertThat(search.currentProperty().get().id()).as("past the last").isEqualTo(GPUS.get(0));
        assertThat(search.countTextProperty().get()).isEqualTo("1 of 16");
        search.previous();
        assertThat(search.currentProperty().get().id()).as("before the first").isEqualTo(GPUS.get(15));
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.device(GPUS.get(15)));
        search.previous();
        search.previous();
        assertThat(search.currentProperty().get().id()).isEqualTo(GPUS.get(13));
        assertThat(search.statusText()).isEqualTo("Found 0000:e2:00.0 (" + MODEL + ") — 14 of 16");
        assertThat(visited).as("each move is a visit, the first made by typing").hasSize(16 + 1 + 3)
                .startsWith(GPUS.get(0), GPUS.get(1)).endsWith(GPUS.get(0), GPUS.get(15), GPUS.get(14), GPUS.get(13));
    }

    @Test
    void oneMatchIsVisitedAgainAndNoMatchSaysSo() throws Exception {
        MachineViewModel machine = machine();
        SearchViewModel search = machine.search();
        List<DeviceItem> visited = new ArrayList<>();
        search.onVisit(visited::add);
        search.queryProperty().set("3b:00.0");
        machine.selectionProperty().set(null); // the user clicked elsewhere
        search.next();
        assertThat(search.countTextProperty().get()).isEqualTo("1 of 1");
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.device("0000:3b:00.0"));
        assertThat(visited).hasSize(2);
        assertThat(search.statusText()).isEqualTo("Found 0000:3b:00.0 (" + MODEL + ") — 1 of 1");
        search.queryProperty().set("a100");
        assertThat(search.matches()).isEmpty();
        assertThat(search.currentProperty().get()).isNull();
        assertThat(search.countTextProperty().get()).isEqualTo("no match");
        assertThat(search.statusText()).isEqualTo("No device matches 'a100'");
        assertThat(visited).hasSize(3).last().isNull();
        search.next();
        search.previous();
        assertThat(search.indexProperty().get()).isEqualTo(-1);
        assertThat(visited).hasSize(3);
        search.queryProperty().set("61:00.0");
        assertThat(search.statusText()).as("an NVSwitch, which has no name: its IDs say what it is")
                .isEqualTo("Found 0000:61:00.0 (10de:1ac2) — 1 of 1");
    }

    @Test
    void aDriverIsSearchedAsItChangesAndTheCurrentDeviceIsKept() throws Exception {
        MachineViewModel machine = workstation();
        SearchViewModel search = machine.search();
        search.queryProperty().set("VFIO");
        assertThat(search.countTextProperty().get()).isEqualTo("no match");
        machine.moveToDriver("0000:01:00.1", "vfio-pci");
        assertThat(ids(search.matches())).containsExactly("0000:01:00.1");
        assertThat(search.countTextProperty().get()).as("found by the bind, not gone to").isEqualTo("1 match");
        search.next();
        machine.moveToDriver("0000:01:00.0", "vfio-pci");
        assertThat(ids(search.matches())).containsExactly("0000:01:00.0", "0000:01:00.1");
        assertThat(search.currentProperty().get().id()).as("still on the audio function").isEqualTo("0000:01:00.1");
        assertThat(search.countTextProperty().get()).isEqualTo("2 of 2");
        machine.unbind("0000:01:00.1");
        assertThat(ids(search.matches())).containsExactly("0000:01:00.0");
        assertThat(search.currentProperty().get()).isNull();
        assertThat(search.countTextProperty().get()).isEqualTo("1 match");
        assertThat(search.statusText()).isEqualTo("1 match of 'VFIO'");
        search.previous();
        assertThat(search.currentProperty().get().id()).isEqualTo("0000:01:00.0");
    }

    @Test
    void anotherMachineClearsTheSearch() throws Exception {
        MachineViewModel machine = machine();
        SearchViewModel search = machine.search();
        search.queryProperty().set("V100");
        search.next();
        search.next();
        assertThat(search.currentProperty().get().id()).isEqualTo(GPUS.get(2));
        machine.load(dgx2()); // the same devices again: matches kept by mistake would still look right
        assertThat(search.queryProperty().get()).isEmpty();
        assertThat(search.matches()).isEmpty();
        assertThat(search.indexProperty().get()).isEqualTo(-1);
        assertThat(search.currentProperty().get()).isNull();
        assertThat(search.countTextProperty().get()).isEmpty();
        assertThat(search.statusText()).isNull();
        search.queryProperty().set("V100");
        assertThat(search.matches()).as("the new machine's items").hasSize(16)
                .allMatch(d -> machine.items().device(d.id()) == d);
        search.clear();
        assertThat(search.matches()).isEmpty();
        assertThat(search.countTextProperty().get()).isEmpty();
        assertThat(machine.selectionProperty().get()).as("clearing keeps the selection")
                .isEqualTo(Selection.device(GPUS.get(0)));
    }

    private static MachineViewModel workstation() {
        MachineViewModel machine = new MachineViewModel();
        machine.load(IommufxApp.defaultTopology());
        return machine;
    }
}
