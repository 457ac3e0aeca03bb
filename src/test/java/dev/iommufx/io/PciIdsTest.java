package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Names from a pci.ids database, as lspci prints them; unknown IDs stay numeric. */
class PciIdsTest {

    @Test
    void namesDevicesLikeLspci() throws Exception {
        PciIds ids = PciIds.read(Path.of("src/test/resources/pciids/pci.ids"));
        assertThat(ids.name(0x10de, 0x2786)).isEqualTo("NVIDIA Corporation AD104 [GeForce RTX 4070]");
        assertThat(ids.name(0x10de, 0x9999)).isEqualTo("NVIDIA Corporation Device 9999");
        assertThat(ids.name(0x1234, 0x0001)).isNull();
    }

    @Test
    void fillsOnlyMissingNames() throws Exception {
        PciIds ids = PciIds.read(Path.of("src/test/resources/pciids/pci.ids"));
        Topology t = TopologyReader.read(Path.of("topologies/t3-multifunction.json"));
        Topology bare = new Topology(t.name(), "", t.defaultDomainType(), t.devices().stream()
                .map(d -> new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(), d.device(), d.pciClass(), null,
                        d.id().equals("0000:01:00.0") ? "my NIC" : null, d.driver(), d.group(), d.multifunction(),
                        d.pcieType(), d.acs(), null, null, null)).toList(), t.drivers(), t.groups());
        Topology named = ids.name(bare);
        assertThat(named.device("0000:01:00.0").name()).isEqualTo("my NIC");
        assertThat(named.device("0000:01:00.1").name()).isEqualTo("Intel Corporation 82574L Gigabit Network Connection");
        assertThat(named.device("0000:00:02.0").name()).as("1b36 is not in the excerpt").isNull();
    }
}
