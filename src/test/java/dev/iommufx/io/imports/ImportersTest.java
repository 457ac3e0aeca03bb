package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Importers} picks the importer by what a path or text holds. */
class ImportersTest {

    @Test
    void directoriesArchivesXmlAndTextGoToTheirImporters(@TempDir Path tmp) throws Exception {
        Snapshots.extract(Snapshots.archive("T2-pcibridge"), tmp.resolve("snap"));
        assertThat(Importers.open(tmp.resolve("snap")).topology().description()).contains("sysfs tree");
        assertThat(Importers.open(tmp.resolve("snap/sys")).topology().devices()).hasSize(8);
        assertThat(Importers.open(Snapshots.archive("T2-pcibridge")).topology().name())
                .isEqualTo("T2-pcibridge-boot");

        Path renamed = tmp.resolve("snapshot.bin"); // gzip magic, no telling name
        Files.copy(Snapshots.archive("T2-pcibridge"), renamed);
        assertThat(Importers.open(renamed).topology().devices()).hasSize(8);

        assertThat(Importers.open(Snapshots.resource("/imports/xml/hwloc-24em64t-2n6c2t-pci.xml")).topology()
                .description()).contains("hwloc");
        assertThat(Importers.open(Snapshots.resource("/imports/xml/libvirt-nodedev-ixgbe.xml")).topology()
                .description()).contains("libvirt");
        assertThat(Importers.open(Snapshots.resource("/imports/listings/ls-iommu-issue-3.txt")).topology()
                .description()).contains("ls-iommu");
        assertThat(Importers.parseText(ListingImporterTest.T5_TREE).topology().description()).contains("lspci -t");
    }

    @Test
    void emptyUnknownAndMissingInputIsRefusedWithAReason(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> Importers.parseText("")).isInstanceOf(ImportException.class)
                .hasMessage("pasted text: the text is empty: nothing to import");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n");
        assertThatThrownBy(() -> Importers.open(empty)).isInstanceOf(ImportException.class)
                .hasMessage("empty.txt: the text is empty: nothing to import");
        Path json = Files.writeString(tmp.resolve("machine.json"), "{\"name\": \"x\", \"devices\": []}");
        assertThatThrownBy(() -> Importers.open(json)).isInstanceOf(ImportException.class)
                .hasMessageContaining("JSON");
        assertThatThrownBy(() -> Importers.open(tmp.resolve("missing.txt"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("no such file");
        Files.createDirectories(tmp.resolve("plain"));
        assertThatThrownBy(() -> Importers.open(tmp.resolve("plain"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("no sys/bus/pci/devices");
        Path binary = Files.write(tmp.resolve("noise.dat"), new byte[] {0, 1, 2, (byte) 0xff, 10, 65});
        assertThatThrownBy(() -> Importers.open(binary)).isInstanceOf(ImportException.class)
                .hasMessageContaining("no IOMMU group listing");
        Path fakeArchive = Files.writeString(tmp.resolve("fake.tar.gz"), "IOMMU Group 1 00:01.0 Bridge [0604]\n");
        assertThatThrownBy(() -> Importers.open(fakeArchive)).isInstanceOf(ImportException.class)
                .hasMessageContaining("no sys/bus/pci/devices");
    }
}
