package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The JDK-only tar reader: the fixture archives, GNU/pax/ustar long names, and damaged archives. */
class TarArchiveTest {

    private static List<TarArchive.Entry> read(byte[] bytes, List<ImportNote> notes) throws IOException {
        try {
            return TarArchive.read(new ByteArrayInputStream(bytes), "test.tar", notes);
        } catch (ImportException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Map<String, TarArchive.Entry> byName(List<TarArchive.Entry> entries) {
        return entries.stream().collect(Collectors.toMap(TarArchive.Entry::name, Function.identity()));
    }

    @Test
    void readsTheFixtureSnapshotsSymlinksAndBinaryConfig() throws IOException {
        List<ImportNote> notes = new ArrayList<>();
        Map<String, TarArchive.Entry> e = byName(Snapshots.entries(Snapshots.archive("T5-switch"), notes));
        assertThat(notes).isEmpty();
        TarArchive.Entry link = e.get("sys/bus/pci/devices/0000:03:00.0");
        assertThat(link.type()).isEqualTo('2');
        assertThat(link.linkTarget())
                .isEqualTo("../../../devices/pci0000:00/0000:00:02.0/0000:01:00.0/0000:02:00.0/0000:03:00.0");
        TarArchive.Entry config = e.get("sys/devices/pci0000:00/0000:00:02.0/config");
        assertThat(config.type()).isEqualTo('0');
        assertThat(config.data()).hasSize(4096);
        assertThat(e.get("sys/devices/pci0000:00/0000:00:00.0/config").data()).hasSize(256);
        assertThat(new String(e.get("sys/kernel/iommu_groups/4/type").data())).isEqualTo("DMA-FQ\n");
        assertThat(e.get("sys/bus/pci/drivers/vfio-pci/").type()).isEqualTo('5');
    }

    @Test
    void longNamesFromGnuLongLinkPaxAndUstarPrefix() throws IOException {
        String longDir = "sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/0000:02:00.0/0000:03:00.0/0000:04:00.0";
        String longName = longDir + "/0000:05:00.0/subsystem_vendor";
        String longTarget = "../../../devices/pci0000:00/0000:00:02.0/0000:01:00.0/0000:02:00.0/0000:03:00.0/"
                + "0000:04:00.0/0000:05:00.0";
        assertThat(longName.length()).isGreaterThan(100);
        byte[] tar = new TarWriter()
                .gnuLong('L', longName).file(longName.substring(0, 99), "0x8086\n")
                .gnuLong('K', longTarget).symlink("sys/bus/pci/devices/0000:05:00.0", longTarget.substring(0, 99))
                .pax("path", longDir + "/pax-named").file("truncated-name", "pax\n")
                .ustarSplit(longDir, "vendor", "0x1b36\n")
                .tar();
        List<ImportNote> notes = new ArrayList<>();
        Map<String, TarArchive.Entry> e = byName(read(tar, notes));
        assertThat(notes).isEmpty();
        assertThat(new String(e.get(longName).data())).isEqualTo("0x8086\n");
        assertThat(e.get("sys/bus/pci/devices/0000:05:00.0").linkTarget()).isEqualTo(longTarget);
        assertThat(new String(e.get(longDir + "/pax-named").data())).isEqualTo("pax\n");
        assertThat(new String(e.get(longDir + "/vendor").data())).isEqualTo("0x1b36\n");
    }

    @Test
    void aTarCutInsideAnEntryKeepsWhatCameBeforeAndSaysSo() throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Snapshots.archive("T1-rootports")))) {
            tar = in.readAllBytes();
        }
        List<ImportNote> notes = new ArrayList<>();
        List<TarArchive.Entry> entries = read(Arrays.copyOf(tar, tar.length / 2 + 100), notes);
        assertThat(entries).isNotEmpty();
        assertThat(entries.size()).isLessThan(read(tar, new ArrayList<>()).size());
        assertThat(notes).singleElement().extracting(ImportNote::what).asString().contains("truncated");
    }

    @Test
    void aGzipStreamCutShortEndsWithANoteNotAnException() throws IOException {
        byte[] gz = Files.readAllBytes(Snapshots.archive("T2-pcibridge"));
        List<ImportNote> notes = new ArrayList<>();
        List<TarArchive.Entry> entries = read(Arrays.copyOf(gz, gz.length * 2 / 3), notes);
        assertThat(entries).isNotEmpty();
        assertThat(notes).singleElement().extracting(ImportNote::what).asString().contains("ends early");
    }

    @Test
    void aHeaderWithABadChecksumStopsTheReading() throws IOException {
        byte[] good = new TarWriter().file("a", "1").tar();
        byte[] damaged = new TarWriter().file("a", "1").file("b", "2").tar();
        damaged[1024 + 10] ^= 0x55; // inside the second header's name
        List<ImportNote> notes = new ArrayList<>();
        assertThat(read(damaged, notes)).extracting(TarArchive.Entry::name).containsExactly("a");
        assertThat(notes).singleElement().extracting(ImportNote::what).asString().contains("checksum");
        assertThat(read(good, new ArrayList<>())).hasSize(1);
    }

    @Test
    void anArchiveWithoutItsEndMarkerIsReadAndNoted() throws IOException {
        List<ImportNote> notes = new ArrayList<>();
        assertThat(read(new TarWriter().file("a", "1").unterminated(), notes)).hasSize(1);
        assertThat(notes).singleElement().extracting(ImportNote::what).asString().contains("end-of-archive");
    }

    @Test
    void textIsNotATarArchive() throws IOException {
        List<ImportNote> notes = new ArrayList<>();
        byte[] text = "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel [8086:1901]\n".repeat(20).getBytes();
        assertThat(read(text, notes)).isEmpty();
        assertThat(notes).isNotEmpty();
    }

    @Test
    void aTruncatedSnapshotImportsWhatItHasOrSaysWhyNot() throws Exception {
        byte[] gz = Files.readAllBytes(Snapshots.archive("T5-switch"));
        ImportResult r = SysfsImporter.importArchive(new ByteArrayInputStream(Arrays.copyOf(gz, gz.length * 3 / 4)),
                "cut.tar.gz");
        assertThat(r.topology().devices()).isNotEmpty();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n.what()).contains("ends early"));
        assertThatThrownBy(() -> SysfsImporter.importArchive(new ByteArrayInputStream(Arrays.copyOf(gz, 200)),
                "stub.tar.gz"))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("no sys/bus/pci/devices")
                .satisfies(e -> assertThat(((ImportException) e).notes()).isNotEmpty());
    }
}
