package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iommufx.model.Acs;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.MatchRules;
import dev.iommufx.model.PciQuirks;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading valid topologies: the example of docs/formats.md, the defaults, and devices in any order. */
class TopologyReaderTest {

    /** The example of docs/formats.md, with the nouveau driver it binds added so that it is complete. */
    static final String WORKSTATION = """
            {
              "format": "iommufx-topology/1",
              "name": "workstation",
              "description": "A desktop with a GPU whose HDMI audio shares its group.",
              "defaultDomainType": "DMA-FQ",
              "devices": [
                {"id": "0000:00:01.0", "parent": null, "vendor": "8086", "device": "a70d", "class": "060400",
                 "pcieType": "root_port", "acs": {"cap": "005f", "ctrl": "001d"}, "driver": "pcieport", "group": 1},
                {"id": "0000:01:00.0", "parent": "0000:00:01.0", "name": "GPU", "vendor": "10de", "device": "2786",
                 "class": "030000", "pcieType": "endpoint", "multifunction": true, "driver": "nouveau", "group": 12}
              ],
              "drivers": [
                {"name": "pcieport", "driverManagedDma": true, "match": {"classes": ["0604"]},
                 "pcieTypes": ["root_port", "upstream_port", "downstream_port"]},
                {"name": "nouveau", "match": {"ids": ["10de:ffff"]}},
                {"name": "vfio-pci", "driverManagedDma": true, "vfio": true, "match": {"overrideOnly": true}}
              ],
              "groups": [{"id": 1}, {"id": 12, "defaultDomain": "DMA-FQ"}]
            }
            """;

    @Test
    void readsTheExampleOfTheFormatDescription() throws FormatException {
        Topology t = TopologyReader.parse(WORKSTATION, "workstation.json");

        assertThat(t.name()).isEqualTo("workstation");
        assertThat(t.defaultDomainType()).isEqualTo(DomainType.DMA_FQ);
        DeviceSpec port = t.device("0000:00:01.0");
        assertThat(port.parent()).isNull();
        assertThat(port.vendor()).isEqualTo(0x8086);
        assertThat(port.pciClass()).isEqualTo(0x060400);
        assertThat(port.acs()).isEqualTo(new Acs(0x5f, 0x1d));
        assertThat(port.pcieType()).isEqualTo(PcieType.ROOT_PORT);
        DeviceSpec gpu = t.device("0000:01:00.0");
        assertThat(gpu.name()).isEqualTo("GPU");
        assertThat(gpu.multifunction()).isTrue();
        assertThat(gpu.group()).isEqualTo(12);
        assertThat(t.drivers()).extracting(DriverSpec::name).containsExactly("pcieport", "nouveau", "vfio-pci");
        assertThat(t.driver(BusType.PCI, "pcieport").pcieTypes())
                .containsExactly(PcieType.ROOT_PORT, PcieType.UPSTREAM_PORT, PcieType.DOWNSTREAM_PORT);
        assertThat(t.driver(BusType.PCI, "vfio-pci").match()).isEqualTo(MatchRules.OVERRIDE_ONLY);
        assertThat(t.groups())
                .containsExactly(new GroupSpec(1, DomainType.DMA_FQ), new GroupSpec(12, DomainType.DMA_FQ));
    }

    @Test
    void leftOutKeysTakeTheDocumentedDefaults() throws FormatException {
        Topology t = TopologyReader.parse("""
                {"name": "minimal", "devices": [{"id": "0000:00:00.0"}], "drivers": [{"name": "stub"}]}
                """, null);

        assertThat(t.description()).isEmpty();
        assertThat(t.defaultDomainType()).isEqualTo(DomainType.DMA_FQ);
        assertThat(t.groups()).isEmpty();
        assertThat(t.devices()).containsExactly(new DeviceSpec("0000:00:00.0", BusType.PCI, null, 0, 0, 0, null,
                null, null, null, false, null, null, null, null, PciQuirks.NONE));
        assertThat(t.drivers()).containsExactly(
                new DriverSpec("stub", BusType.PCI, false, false, MatchRules.OVERRIDE_ONLY, null, List.of()));
    }

    @Test
    void aGroupWithoutDefaultDomainTakesTheTopologysAndNoneMeansNoDefaultDomain() throws FormatException {
        Topology t = TopologyReader.parse("""
                {"name": "groups", "defaultDomainType": "identity", "devices": [], "drivers": [],
                 "groups": [{"id": 0}, {"id": 1, "defaultDomain": "none"}, {"id": 2, "defaultDomain": "DMA"}]}
                """, null);

        assertThat(t.groups()).containsExactly(new GroupSpec(0, DomainType.IDENTITY), new GroupSpec(1, null),
                new GroupSpec(2, DomainType.DMA));
    }

    @Test
    void devicesListedChildrenFirstLoad() throws FormatException {
        Topology t = TopologyReader.parse("""
                {"name": "upside down",
                 "devices": [
                   {"id": "0000:02:00.0", "parent": "0000:01:00.0", "pcieType": "endpoint"},
                   {"id": "0000:01:00.0", "parent": "0000:00:1c.0", "pcieType": "upstream_port"},
                   {"id": "0000:00:1c.0", "pcieType": "root_port"}
                 ],
                 "drivers": []}
                """, null);

        assertThat(t.devices()).extracting(DeviceSpec::id).containsExactly("0000:02:00.0", "0000:01:00.0",
                "0000:00:1c.0");
        assertThat(t.children("0000:00:1c.0")).extracting(DeviceSpec::id).containsExactly("0000:01:00.0");
        assertThat(t.children("0000:01:00.0")).extracting(DeviceSpec::id).containsExactly("0000:02:00.0");
    }

    @Test
    void acceptsOtherBusesWideDomainsAndQuirks() throws FormatException {
        Topology t = TopologyReader.parse("""
                {"name": "mixed",
                 "devices": [
                   {"id": "10000:00:02.0", "requiredDomain": "identity",
                    "quirks": {"acsIsolated": false, "dmaAliases": ["1f.7", "00.1"], "pcieBridgeAlias": true}},
                   {"id": "fe300000.ethernet", "bus": "platform", "compatible": "snps,dwmac", "driver": "dwmac"}
                 ],
                 "drivers": [{"name": "dwmac", "bus": "platform", "match": {"ids": ["snps,dwmac"]},
                              "probeErrno": "EPROBE_DEFER"}]}
                """, null);

        DeviceSpec vmd = t.device("10000:00:02.0");
        assertThat(vmd.requiredDomain()).isEqualTo(DomainType.IDENTITY);
        assertThat(vmd.quirks()).isEqualTo(new PciQuirks(false, List.of(0xff, 0x01), true, false));
        assertThat(t.device("fe300000.ethernet").bus()).isEqualTo(BusType.PLATFORM);
        assertThat(t.driver(BusType.PLATFORM, "dwmac").probeErrno()).isEqualTo("EPROBE_DEFER");
    }

    @Test
    void theMessageNamesFileLineColumnPathAndWhatWasExpected() {
        FormatException e = catchThrowableOfType(FormatException.class, () -> TopologyReader.parse("""
                {"name": "mine",
                 "devices": [
                   {"id": "0000:00:01.0"},
                   {"id": "0000:0a:00.0", "parent": "0000:09:00.0"}
                 ],
                 "drivers": []}
                """, "topologies/mine.json"));

        assertThat(e.getMessage()).isEqualTo("topologies/mine.json:4:37: $.devices[1].parent: unknown device"
                + " \"0000:09:00.0\" (expected the id of a device in this file)");
        assertThat(e.problem()).startsWith("unknown device");
    }

    @Test
    void textWithoutAFileNameIsCalledInline() {
        FormatException e = catchThrowableOfType(FormatException.class, () -> TopologyReader.parse("{}", null));

        assertThat(e.file()).isEqualTo(FormatException.INLINE);
        assertThat(e.getMessage()).startsWith("<inline>:1:1: $: missing key \"name\"");
    }
}
