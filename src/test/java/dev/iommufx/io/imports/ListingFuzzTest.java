package dev.iommufx.io.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of the text importers (docs/random-testing.md, "Fuzzing"). In a normal build each runs over its
 * committed inputs ({@code src/test/resources/dev/iommufx/io/imports/ListingFuzzTestInputs/<method>/}); with
 * {@code JAZZER_FUZZ=1} the one selected runs coverage-guided for its {@code maxDuration}.
 */
class ListingFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void groupListing(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> GroupListingImporter.importText(text, "fuzz.txt"));
    }

    @FuzzTest(maxDuration = "10m")
    void lspciVmm(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> LspciVmmImporter.importText(text, "fuzz.txt"));
    }

    @FuzzTest(maxDuration = "10m")
    void lspciTree(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> LspciTreeImporter.importText(text, "fuzz.txt"));
    }

    @FuzzTest(maxDuration = "10m")
    void lsIommu(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> LsIommuImporter.importText(text, "fuzz.txt"));
    }

    /** Any text, as File > Paste gives it: format sniffing, then every listing format at once, or XML. */
    @FuzzTest(maxDuration = "10m")
    void anyText(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        ImportOutcome.check(() -> Importers.parseText(text, "fuzz.txt"));
    }
}
