package dev.iommufx.io.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Fuzz tests of the XML importers; see {@link ListingFuzzTest} for how they run. */
class XmlFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void libvirt(byte[] input) throws Exception {
        String xml = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> LibvirtNodedevImporter.importText(xml, "fuzz.xml"));
    }

    @FuzzTest(maxDuration = "10m")
    void hwloc(byte[] input) throws Exception {
        String xml = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> HwlocImporter.importText(xml, "fuzz.xml"));
    }
}
