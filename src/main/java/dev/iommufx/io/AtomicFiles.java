package dev.iommufx.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Saves files so that a crash or a full disk never leaves a half-written topology or scenario behind:
 * the content goes to a temporary file in the target's directory (a rename is only atomic within one
 * file system), is flushed to the disk, and is then renamed over the target. A temporary file's name carries
 * the writing process's id ({@code .TARGET.PID.RANDOM.tmp}); a process killed while writing leaves it behind,
 * and the next save of the same target removes every such file whose process is gone.
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

    /**
     * Writes a shell script atomically, executable by its owner only (rwx------) from the moment it has its name:
     * the mode is set on the temporary file before the rename, so a crash never leaves a complete script that
     * cannot run. Returns false when the file system has no POSIX permissions: the script is written, and runs
     * with {@code sh FILE}.
     */
    public static boolean writeScript(Path target, String script) throws IOException {
        byte[] content = script.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean posix = Files.getFileStore(target.toAbsolutePath().getParent())
                .supportsFileAttributeView(PosixFileAttributeView.class);
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }, posix ? PosixFilePermissions.fromString("rwx------") : null);
        return posix;
    }

    public interface Producer {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code producer} writes, atomically: if the producer fails, or the
     * process dies while it writes, the target keeps its old content.
     */
    public static void write(Path target, Producer producer) throws IOException {
        write(target, producer, null);
    }

    /** Like {@link #write(Path, Producer)}, with the permissions the new file gets (null: keep the old file's). */
    static void write(Path target, Producer producer, Set<PosixFilePermission> mode) throws IOException {
        Path absolute = target.toAbsolutePath();
        removeLeftovers(absolute);
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            if (mode != null) {
                Files.setPosixFilePermissions(temp, mode);
            } else {
                keepPermissions(absolute, temp);
            }
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
            Path temp = dir.resolve(tempPrefix(target) + ProcessHandle.current().pid() + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // another writer picked the same name; try another
            }
        }
        throw new IOException("cannot create a temporary file in " + dir);
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * Removes the temporary files earlier saves of this target left when their process died (killed, or the
     * machine lost power) before renaming them. A file whose process still runs is another save in progress.
     */
    static void removeLeftovers(Path target) {
        String prefix = tempPrefix(target);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(target.getParent(), prefix + "*.tmp")) {
            for (Path p : files) {
                String[] parts = p.getFileName().toString().substring(prefix.length()).split("\\.");
                if (parts.length == 3 && isDeadProcess(parts[0]) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: leftovers cost disk space, never correctness
        }
    }

    private static boolean isDeadProcess(String pid) {
        try {
            long id = Long.parseLong(pid);
            return id != ProcessHandle.current().pid() && ProcessHandle.of(id).isEmpty();
        } catch (NumberFormatException e) {
            return false; // not one of ours
        }
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
