package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libvirt node-device XML and hwloc XML (imports/SOURCES.md), and hostile XML. */
class XmlImportersTest {
    private static String xml(String file) {
        return Snapshots.text("/imports/xml/" + file);
    }

    @Test
    void concatenatedNodedevDumps() throws Exception {
        ImportResult r = LibvirtNodedevImporter.importText(xml("libvirt-nodedev-concatenated.xml"), "nd.xml");
        Topology t = r.topology();
        // <iommuGroup> names six members that were not dumped: members all the same, their driver unknown
        assertThat(t.devices()).extracting(DeviceSpec::id).containsExactly("0000:00:03.0", "0000:00:1c.0",
                "0000:00:1c.1", "0000:00:1c.3", "0000:00:1c.4", "0000:03:00.0", "0000:0d:00.0", "0000:0d:00.1",
                "0000:0d:00.3");
        assertThat(t.device("0000:00:1c.3").driver()).isEqualTo(DriverSpec.UNKNOWN);
        assertThat(t.device("0000:00:1c.3").group()).isEqualTo(8);
        assertThat(t.device("0000:00:1c.0").driver()).isNull(); // dumped without <driver>: none bound
        DeviceSpec rp = t.device("0000:00:1c.0");
        assertThat(List.of(rp.vendorDevice(), rp.pciClass(), rp.group())).containsExactly("8086:8c10", 0x060400, 8);
        assertThat(rp.name()).isEqualTo("8 Series/C220 Series Chipset Family PCI Express Root Port #1");
        assertThat(t.device("0000:03:00.0").group()).isEqualTo(8);
        assertThat(t.device("0000:00:03.0").group()).isEqualTo(2);
        assertThat(r.groupsFromSource()).isTrue();
        assertThat(t.device("0000:03:00.0").parent()).isEqualTo("0000:00:1c.1"); // the undescribed member
        assertThat(r.notes()).extracting(ImportNote::what).contains(
                "6 group member(s) named in <iommuGroup> but not described (their IDs, class and driver are unknown:"
                        + " dump them too, virsh nodedev-dumpxml pci_DDDD_BB_SS_F)",
                "3 PCI device(s) without <class> (older libvirt): class unknown, 000000 or a bridge's 060400");
    }

    @Test
    void oneDumpWithDriverClassAndPathAndTheSameInsideARootElement() throws Exception {
        String one = xml("libvirt-nodedev-ixgbe.xml");
        ImportResult r = LibvirtNodedevImporter.importText(one, "ixgbe.xml");
        DeviceSpec d = r.topology().device("0000:05:00.1");
        assertThat(List.of(d.vendorDevice(), d.pciClass(), d.group(), d.driver()))
                .containsExactly("8086:154d", 0x020000, 23, "ixgbe");
        DriverSpec ixgbe = r.topology().driver(BusType.PCI, "ixgbe");
        assertThat(ixgbe.driverManagedDma()).isFalse();
        assertThat(ixgbe.match().ids()).containsExactly("8086:154d");

        String wrapped = "<devices>" + one.replaceFirst("<\\?xml[^>]*\\?>", "")
                + xml("libvirt-nodedev-concatenated.xml") + "<device><name>net_eth0</name><parent>pci_0000_05_00_1"
                + "</parent><capability type='net'><interface>eth0</interface></capability></device></devices>";
        ImportResult all = Importers.parseText(wrapped, "wrapped.xml");
        assertThat(all.topology().devices()).hasSize(10); // 4 dumped, 6 named only in <iommuGroup>
        assertThat(all.notes()).extracting(ImportNote::what).contains("1 non-PCI node device(s) skipped (out of scope)");
    }

    @Test
    void hwlocNestingGivesTheTreeAndTheEngineDerivesGroups() throws Exception {
        ImportResult r = HwlocImporter.importText(xml("hwloc-24em64t-2n6c2t-pci.xml"), "hwloc.xml");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(15);
        assertThat(r.groupsFromSource()).isFalse();
        assertThat(t.device("0000:04:00.1").parent()).isEqualTo("0000:00:01.0");
        assertThat(t.device("0000:01:03.0").parent()).isEqualTo("0000:00:1e.0");
        assertThat(t.device("0000:11:00.0").parent()).isEqualTo("0000:10:07.0");
        assertThat(t.device("0000:10:07.0").parent()).isNull(); // below the second host bridge
        assertThat(t.device("0000:00:1e.0").name()).isEqualTo("Intel Corporation 82801 PCI Bridge");
        assertThat(t.device("0000:05:00.0").pciClass()).isEqualTo(0x0c0600);
        assertThat(t.device("0000:04:00.0").multifunction()).isTrue();
        // with no PCIe types every bridge aliases its children: one group per host-bridge branch
        assertThat(Groups.membership(t)).contains(
                Set.of("0000:00:01.0", "0000:04:00.0", "0000:04:00.1"),
                Set.of("0000:00:1e.0", "0000:01:03.0"),
                Set.of("0000:00:1f.2", "0000:00:1f.5")).hasSize(7);
    }

    @Test
    void hwlocOneStyleNamesAndNestedBridges() throws Exception {
        Topology t = Importers.parseText("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE topology SYSTEM "hwloc.dtd">
                <topology>
                  <object type="Machine" os_index="0">
                    <object type="Bridge" os_index="0" bridge_type="0-1" depth="0" bridge_pci="0000:[00-02]">
                      <object type="Bridge" os_index="16" name="Test Root Port" bridge_type="1-1" depth="1"
                              bridge_pci="0000:[01-01]" pci_busid="0000:00:01.0" pci_type="0604 [8086:0001] [0000:0000] 01">
                        <object type="PCIDev" os_index="4096" name="Test GPU 0"
                                pci_busid="0000:01:00.0" pci_type="0302 [10de:1234] [10de:0000] a1"/>
                      </object>
                    </object>
                  </object>
                </topology>
                """).topology();
        assertThat(t.device("0000:01:00.0").name()).isEqualTo("Test GPU 0");
        assertThat(t.device("0000:01:00.0").parent()).isEqualTo("0000:00:01.0");
    }

    private static String pciDevice(String product) {
        return "<device><name>pci_0000_00_02_0</name><parent>computer</parent><capability type='pci'>"
                + "<domain>0</domain><bus>0</bus><slot>2</slot><function>0</function>"
                + "<product id='0x1234'>" + product + "</product><vendor id='0x8086'>x</vendor></capability></device>";
    }

    @Test
    void externalEntitiesAreNeverRead(@TempDir Path tmp) throws Exception {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version='1.0'?>\n<!DOCTYPE device [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>\n"
                + pciDevice("&leak;");
        ImportResult r = Importers.parseText(xxe, "xxe.xml");
        assertThat(r.topology().device("0000:00:02.0").name()).isNull(); // the reference is left unexpanded
        assertThat(r.notes().toString()).doesNotContain("TOP-SECRET");
    }

    @Test
    void entityExpansionBombsAreNotExpanded() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE device [<!ENTITY a0 \"bombbombbombbomb\">");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"")
                    .append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        ImportResult r = Importers.parseText(dtd + "]>" + pciDevice("&a10;"), "bomb.xml");
        // 10^10 characters if expanded: the name would hold them; left unexpanded, there is none
        assertThat(r.topology().device("0000:00:02.0").name()).isNull();
    }

    @Test
    void predefinedEntitiesStillRead() throws Exception {
        ImportResult r = Importers.parseText(pciDevice("AT&amp;T &lt;Ethernet&gt;"), "amp.xml");
        assertThat(r.topology().device("0000:00:02.0").name()).isEqualTo("AT&T <Ethernet>");
    }

    @Test
    void malformedXmlSaysWhere() {
        assertThatThrownBy(() -> Importers.parseText("<device>\n  <name>pci_0000_00_02_0</name>\n  <capability>\n",
                "bad.xml")).isInstanceOf(ImportException.class).hasMessageStartingWith("bad.xml:")
                .hasMessageContaining("malformed XML");
        assertThatThrownBy(() -> Importers.parseText("<html><body>hi</body></html>", "page.html"))
                .isInstanceOf(ImportException.class).hasMessageContaining("neither libvirt");
    }

    @Test
    void aDumpWithoutPciDevicesIsRefused() {
        assertThatThrownBy(() -> LibvirtNodedevImporter.importText("<device><name>computer</name>"
                + "<capability type='system'/></device>", "computer.xml"))
                .isInstanceOf(ImportException.class).hasMessageContaining("no PCI devices found");
    }
}
