package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iommufx.engine.GroupState;
import dev.iommufx.scenario.Expectation;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading valid scenarios: every step kind with its typed arguments, expectations, and topology paths. */
class ScenarioReaderTest {
    /** One step of every kind, against the workstation topology of {@link TopologyReaderTest}. */
    static final String EVERY_STEP = """
            [
              {"do": "unbind", "device": "0000:01:00.0", "note": "The GPU leaves nouveau.",
               "expect": {"result": "ok", "drivers": {"0000:01:00.0": null}, "groups": {"12": "DEFAULT_DOMAIN"},
                          "warnings": 0}},
              {"do": "driver_override", "device": "0000:01:00.0", "driver": "vfio-pci"},
              {"do": "drivers_probe", "device": "0000:01:00.0", "expect": {"drivers": {"0000:01:00.0": "vfio-pci"}}},
              {"do": "driver_override", "device": "0000:01:00.0", "driver": null},
              {"do": "vfio_open_container", "handle": "C"},
              {"do": "vfio_open_group", "group": 12, "handle": "G"},
              {"do": "vfio_group_status", "handle": "G", "expect": {"result": "ok", "flags": ["VIABLE"]}},
              {"do": "vfio_set_container", "handle": "G", "container": "C",
               "expect": {"groups": {"12": "BLOCKED", "1": "DMA_API_OWNED"}}},
              {"do": "vfio_set_iommu", "container": "C", "type": "type1v2"},
              {"do": "vfio_dma_map", "container": "C", "iova": "0xfee00000", "size": 4096},
              {"do": "vfio_dma_unmap", "container": "C", "iova": 0, "size": "0xFFFFFFFFFFFFFFFF"},
              {"do": "vfio_get_device_fd", "handle": "G", "device": "0000:01:00.0", "as": "D"},
              {"do": "unbind", "device": "0000:01:00.0", "driver": "vfio-pci", "expect": {"result": "pending"}},
              {"do": "close", "handle": "D"},
              {"do": "vfio_unset_container", "handle": "G"},
              {"do": "set_group_type", "group": 12, "type": "bogus", "expect": {"result": "EINVAL"}},
              {"do": "iommu_group_claim_dma_owner", "group": 1, "owner": "K"},
              {"do": "iommu_attach_group", "group": 1, "domain": "D1"},
              {"do": "iommu_detach_group", "group": 1, "domain": "D1"},
              {"do": "iommu_group_release_dma_owner", "group": 1},
              {"do": "iommu_attach_device", "device": "0000:00:01.0", "domain": "D2"},
              {"do": "iommu_detach_device", "device": "0000:00:01.0", "domain": "D2"},
              {"do": "move", "device": "0000:01:00.0", "driver": "vfio-pci"},
              {"do": "add_vm", "vm": "VM1"},
              {"do": "give_group_to_vm", "group": 12, "vm": "VM1"},
              {"do": "start_vm", "vm": "VM1"},
              {"do": "modprobe", "module": "vfio-pci", "options": "ids=10de:2786"},
              {"do": "rmmod", "module": "vfio_pci"},
              {"do": "sriov_drivers_autoprobe", "device": "0000:01:00.0", "value": "0"},
              {"do": "sriov_numvfs", "device": "0000:01:00.0", "count": 0},
              {"do": "iommufd_bind", "device": "0000:01:00.0", "ctx": "X",
               "expect": {"result": "ENOENT"}, "expectUnder": {"newest": {"result": "ok"}}},
              {"do": "iommufd_attach", "device": "0000:01:00.0", "hwpt": "ioas1"},
              {"do": "iommufd_unbind", "device": "0000:01:00.0"},
              {"do": "bind_phase", "device": "0000:01:00.0", "driver": "vfio-pci", "phase": "set_driver"},
              {"do": "bind_phase", "device": "0000:01:00.0", "phase": "dma_configure"},
              {"do": "unbind_phase", "device": "0000:01:00.0", "phase": "clear_driver"},
              {"do": "take_group_from_vm", "group": 12, "vm": "VM1"},
              {"do": "remove", "device": "0000:01:00.0"},
              {"do": "rescan"},
              {"do": "bind", "device": "0000:01:00.0", "driver": "nouveau", "expect": {"result": "EBUSY"}}
            ]
            """;

    static String scenario(String topology) {
        return "{\"format\": \"iommufx-scenario/1\", \"title\": \"Every step\", \"topology\": " + topology
                + ", \"steps\": " + EVERY_STEP + "}";
    }

    @Test
    void readsEveryStepKindWithTypedArguments() throws FormatException {
        Scenario s = ScenarioReader.parse(scenario(TopologyReaderTest.WORKSTATION), "every.json", null);

        assertThat(s.steps()).extracting(Step::kind).containsAll(Arrays.asList(StepKind.values()));
        assertThat(s.kernel()).isEqualTo("6.1");
        assertThat(s.topologySource()).isEqualTo(ScenarioReader.INLINE_TOPOLOGY);
        assertThat(s.topology().name()).isEqualTo("workstation");
        assertThat(s.steps().get(5).args()).containsExactly(Map.entry("group", 12L), Map.entry("handle", "G"));
        assertThat(s.steps().get(9).longArg("iova")).isEqualTo(0xfee00000L);
        assertThat(s.steps().get(10).longArg("size")).isEqualTo(-1L); // 2^64 - 1, unsigned
        assertThat(s.steps().get(3).args()).containsEntry("driver", null);
        assertThat(s.steps().get(0).args()).doesNotContainKey("driver");
        assertThat(s.steps().get(12).string("driver")).isEqualTo("vfio-pci");
    }

    @Test
    void readsExpectations() throws FormatException {
        Scenario s = ScenarioReader.parse(scenario(TopologyReaderTest.WORKSTATION), "every.json", null);

        Step first = s.steps().get(0);
        assertThat(first.note()).isEqualTo("The GPU leaves nouveau.");
        Map<String, String> unbound = new HashMap<>();
        unbound.put("0000:01:00.0", null);
        assertThat(first.expect()).isEqualTo(new Expectation("ok", unbound, Map.of(12, GroupState.DEFAULT_DOMAIN),
                0, null));
        assertThat(s.steps().get(6).expect().flags()).containsExactly("VIABLE");
        assertThat(s.steps().get(7).expect().groups())
                .isEqualTo(Map.of(12, GroupState.BLOCKED, 1, GroupState.DMA_API_OWNED));
        assertThat(s.steps().get(12).expect().result()).isEqualTo("pending");
        assertThat(s.steps().get(1).expect()).isNull();
    }

    @Test
    void aTopologyPathIsRelativeToTheScenarioFile(@TempDir Path dir) throws IOException, FormatException {
        Files.writeString(dir.resolve("workstation.json"), TopologyReaderTest.WORKSTATION);
        Path scenarios = Files.createDirectory(dir.resolve("scenarios"));
        Path file = scenarios.resolve("every.json");
        Files.writeString(file, scenario("\"../workstation.json\""));

        Scenario s = ScenarioReader.read(file);

        assertThat(s.topologySource()).isEqualTo("../workstation.json");
        assertThat(s.topology().devices()).hasSize(2);
    }

    @Test
    void anErrorInAReferencedTopologyNamesThatFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"name\": \"b\", \"devices\": [], \"drivers\": 3}");
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"title\": \"t\", \"topology\": \"broken.json\", \"steps\": []}");

        FormatException e = catchThrowableOfType(FormatException.class, () -> ScenarioReader.read(file));

        assertThat(e.file()).isEqualTo(dir.resolve("broken.json").toString());
        assertThat(e.jsonPath()).isEqualTo("$.drivers");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(41);
    }

    @Test
    void onlyTheSupportedKernelsAreAccepted() throws FormatException {
        assertThat(ScenarioReader.SUPPORTED_KERNELS).containsExactly("v7-series", "6.1", "newest");
        Scenario s = ScenarioReader.parse("{\"title\": \"t\", \"kernel\": \"6.1\", \"topology\": "
                + TopologyReaderTest.WORKSTATION + ", \"steps\": []}", null, null);
        assertThat(s.kernel()).isEqualTo("6.1");
        assertThat(s.steps()).isEqualTo(List.of());
    }

    @Test
    void aTopologyThatCannotBeReadIsReportedAtTheScenariosTopologyNamingBothFiles(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("t.json"), new byte[] {'{', (byte) 0xff, '}'});
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"title\": \"t\",\n \"topology\": \"t.json\", \"steps\": []}");

        FormatException e = catchThrowableOfType(FormatException.class, () -> ScenarioReader.read(file));

        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.jsonPath()).isEqualTo("$.topology");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("topology file \"t.json\" cannot be read: the file is not UTF-8 text");
    }

    @Test
    void aFileThatIsNoMachineFileIsRefusedWithoutQuotingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.json"), "{\"password\": hunter2}");
        Files.writeString(dir.resolve("keys.txt"), "hunter2\n");
        for (String named : List.of("notes.json", "keys.txt")) {
            Path file = dir.resolve("s.json");
            Files.writeString(file, "{\"title\": \"t\", \"topology\": \"" + named + "\", \"steps\": []}");

            FormatException e = catchThrowableOfType(FormatException.class, () -> ScenarioReader.read(file));

            assertThat(e.getMessage()).as(named).doesNotContain("hunter2").doesNotContain("password");
            assertThat(e.file()).isIn(file.toString(), dir.resolve(named).toString());
        }
    }
}
