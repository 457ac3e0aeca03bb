package dev.iommufx.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saves files so that a crash or a full disk never leaves a half-written topology or scenario behind:
 * the content goes to a temporary file in the target's directory (a rename is only atomic within one
 * file system), is flushed to the disk, and is then renamed over the target.
 */
public final class AtomicFiles {
    private static final int NAME_ATTEMPTS = 100;

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content} atomically. On failure the target is untouched and the
     * temporary file is removed.
     */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /** Writes the content a producer puts into a channel; the same guarantees as {@link #write(Path, byte[])}. */
    /**
     * Writes a shell script atomically and makes it executable by its owner only (rwx------). Returns false when the
     * file system has no POSIX permissions: the script is written, and runs with {@code sh FILE}.
     */
    public static boolean writeScript(Path target, String script) throws IOException {
        write(target, script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    public interface Producer {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code producer} writes, atomically: if the producer fails, or the
     * process dies while it writes, the target keeps its old content.
     */
    public static void write(Path target, Producer producer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            keepPermissions(absolute, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                producer.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
        syncDirectory(absolute.getParent());
    }

    /** A new, empty hidden file next to the target; created with the default permissions (umask). */
    private static Path createTemp(Path target) throws IOException {
        Path dir = target.getParent();
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            Path temp = dir.resolve("." + target.getFileName() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // another writer picked the same name; try another
            }
        }
        throw new IOException("cannot create a temporary file in " + dir);
    }

    /** Saving over an existing file should not change who may read it. */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view != null && Files.isRegularFile(target)) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        }
    }

    /**
     * The rename itself is durable only once the directory is flushed. Not every platform can open a
     * directory (Windows cannot), and the content is already safe, so this is best effort.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }
}
