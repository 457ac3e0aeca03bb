package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save killed halfway (SIGKILL of the saving process) leaves the old file intact. */
class CrashSafeSaveTest {

    @Test
    void aSaveKilledHalfwayLeavesTheOldFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("recording.json");
        Files.writeString(target, "the old recording\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process saver = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowSave.class.getName(), target.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("saver.log").toFile()).start();
        // wait until the new content is being written into the temporary file, then kill the saver
        Path temp = null;
        for (int i = 0; i < 200 && temp == null; i++) {
            temp = growingTempFile(dir);
            Thread.sleep(50);
        }
        assertThat(temp).as("the saver started writing (log: %s)", Files.readString(dir.resolve("saver.log")))
                .isNotNull();
        saver.destroyForcibly();
        assertThat(saver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("the old recording\n");
        assertThat(Files.size(temp)).as("the interrupted content went only to the temporary file").isPositive();

        // the next save of the same file removes what the killed save left behind
        AtomicFiles.write(target, "the next save\n".getBytes(StandardCharsets.UTF_8));
        assertThat(temp).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("recording.json",
                    "saver.log");
        }
    }

    /** A temporary file of a process that still runs is another save in progress: it stays. */
    @Test
    void aLiveProcessesTemporaryFileIsNotRemoved(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("t.json");
        Path ours = dir.resolve(".t.json." + ProcessHandle.current().parent().orElseThrow().pid() + ".abc.tmp");
        Path dead = dir.resolve(".t.json.999999999.abc.tmp");
        Path foreign = dir.resolve(".t.json.notapid.abc.tmp");
        for (Path p : new Path[] {ours, dead, foreign}) {
            Files.writeString(p, "x");
        }
        AtomicFiles.write(target, new byte[] {1});
        assertThat(ours).exists();
        assertThat(foreign).exists();
        assertThat(dead).doesNotExist();
    }

    private static Path growingTempFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).filter(p -> p.toFile().length() > 40)
                    .findFirst().orElse(null);
        }
    }
}
