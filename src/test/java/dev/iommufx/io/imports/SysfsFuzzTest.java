package dev.iommufx.io.imports;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz tests of the sysfs importer, from an archive and from a directory; see {@link ListingFuzzTest} for how
 * they run. Inputs starting with {@code #tree} are {@link TreeScript}s (a tree the fuzzer mutates line by line);
 * other inputs are taken as the archive's bytes.
 */
class SysfsFuzzTest {
    private static Path scratch;

    @FuzzTest(maxDuration = "10m")
    void archive(byte[] input) throws Exception {
        TreeScript tree = TreeScript.parse(new String(input, StandardCharsets.ISO_8859_1));
        byte[] archive = tree == null ? input : tree.archive();
        ImportOutcome.check(() -> {
            try {
                return SysfsImporter.importArchive(new ByteArrayInputStream(archive), "fuzz.tar.gz");
            } catch (IOException damaged) { // a stream the JDK cannot decompress: "cannot read", exit 2
                return null;
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void directory(byte[] input) throws Exception {
        TreeScript tree = TreeScript.parse(new String(input, StandardCharsets.UTF_8));
        if (tree == null) {
            return;
        }
        Path root = scratch();
        TreeScript.clear(root);
        tree.materialise(root);
        ImportOutcome.check(() -> SysfsImporter.importDirectory(root));
    }

    private static synchronized Path scratch() throws IOException {
        if (scratch == null) {
            Path shm = Path.of("/dev/shm"); // memory, where there is such a file system: thousands of trees a minute
            scratch = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "iommufx-fuzz-tree") : Files.createTempDirectory("iommufx-fuzz-tree");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }
}
