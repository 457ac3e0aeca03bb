package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving replaces the file whole or not at all, and leaves no temporary file behind either way. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private Stream<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream();
        }
    }

    @Test
    void createsAndReplaces() throws IOException {
        Path target = dir.resolve("t.json");
        AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("second");
        assertThat(listing()).containsExactly(target);
    }

    @Test
    void aFailedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("busy.json"));
        Files.writeString(target.resolve("inside"), "kept");

        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1, 2, 3})).isInstanceOf(IOException.class);

        assertThat(target).isDirectory();
        assertThat(target.resolve("inside")).hasContent("kept");
        assertThat(listing()).containsExactly(target);
    }

    @Test
    void aMissingDirectoryIsAnErrorNotACreatedFile() {
        Path target = dir.resolve("no/such/dir/t.json");

        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[0])).isInstanceOf(IOException.class);
        assertThat(dir.resolve("no")).doesNotExist();
    }

    /** The script may run as soon as it has its name: its mode is set while it is still the temporary file. */
    @Test
    void aScriptIsExecutableBeforeItIsRenamed() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("give-gpu.sh");
        java.util.List<String> modesWhileWriting = new java.util.ArrayList<>();
        AtomicFiles.write(target, channel -> {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    modesWhileWriting.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                }
            }
            channel.write(java.nio.ByteBuffer.wrap("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
        }, PosixFilePermissions.fromString("rwx------"));
        assertThat(modesWhileWriting).containsExactly("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
        assertThat(AtomicFiles.writeScript(target, "#!/bin/sh\necho hi\n")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
    }

    @Test
    void replacingKeepsThePermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = Files.writeString(dir.resolve("t.json"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));

        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    }
}
