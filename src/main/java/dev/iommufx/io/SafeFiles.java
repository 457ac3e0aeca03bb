package dev.iommufx.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens files from strangers without being caught by them: a FIFO blocks whoever opens it until a writer
 * comes, a device such as {@code /dev/zero} never ends, and a file may be larger than any real one. So the
 * kind of a path is looked at (without opening it) before anything is opened, only regular files are ever
 * opened, and never more than a limit is read.
 */
public final class SafeFiles {
    /** What a path is, as {@code stat()} says, without opening it. */
    public enum Kind {
        FILE("a regular file"), DIRECTORY("a directory"), MISSING("missing"), FIFO("a FIFO (named pipe)"),
        CHARACTER_DEVICE("a character device"), BLOCK_DEVICE("a block device"), SOCKET("a socket"),
        LINK("a symbolic link"), OTHER("a special file");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** "a FIFO (named pipe)", for messages. */
        public String description() {
            return description;
        }
    }

    /** A file that is refused: {@link #problem()} says why, without the file's name. */
    public static final class Refused extends IOException {
        private final String problem;

        Refused(String problem) {
            super(problem);
            this.problem = problem;
        }

        public String problem() {
            return problem;
        }
    }

    // st_mode's file-type bits (sys/stat.h)
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private SafeFiles() {
    }

    /** The kind of what a path leads to, following symbolic links. */
    public static Kind kind(Path path) {
        return kind(path, new LinkOption[0]);
    }

    /** The kind of the entry itself: a symbolic link is {@link Kind#LINK}. */
    public static Kind kindNoFollow(Path path) {
        return kind(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static Kind kind(Path path, LinkOption... options) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (IOException | SecurityException e) {
            return Kind.MISSING;
        }
        if (a.isSymbolicLink()) {
            return Kind.LINK;
        }
        if (a.isRegularFile()) {
            return Kind.FILE;
        }
        if (a.isDirectory()) {
            return Kind.DIRECTORY;
        }
        return specialKind(path, options);
    }

    /** Which special file: the "unix" attribute view has the mode bits where the platform offers it. */
    private static Kind specialKind(Path path, LinkOption... options) {
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode", options) & S_IFMT;
            return switch (type) {
                case S_IFIFO -> Kind.FIFO;
                case S_IFCHR -> Kind.CHARACTER_DEVICE;
                case S_IFBLK -> Kind.BLOCK_DEVICE;
                case S_IFSOCK -> Kind.SOCKET;
                default -> Kind.OTHER;
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException
                 | SecurityException e) {
            return Kind.OTHER;
        }
    }

    /** Why a file could not be read, in words: no exception class names. */
    public static String reason(IOException e) {
        if (e instanceof Refused r) {
            return r.problem();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? "cannot read it" : e.getMessage();
    }

    /**
     * The bytes of a regular file, at most {@code max} of them.
     *
     * @throws NoSuchFileException when nothing is there
     * @throws Refused             when it is not a regular file or is larger than {@code max}
     * @throws IOException         when it cannot be read
     */
    public static byte[] read(Path path, long max) throws IOException {
        try (InputStream in = open(path)) {
            byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > max) {
                throw new Refused("larger than the limit of " + Limits.bytes(max));
            }
            return bytes;
        }
    }

    /**
     * Opens a regular file for reading; the caller bounds what it reads. The path's links are followed
     * first, and the file they lead to is opened without following any, so that what is opened is what
     * was looked at.
     */
    public static InputStream open(Path path) throws IOException {
        Kind kind = kind(path);
        if (kind == Kind.MISSING) {
            throw new NoSuchFileException(path.toString());
        }
        if (kind != Kind.FILE) {
            throw new Refused("is " + kind.description() + ", not a regular file");
        }
        Path real = path.toRealPath();
        if (kindNoFollow(real) != Kind.FILE) {
            throw new Refused("changed while it was opened; not a regular file now");
        }
        // a file inside the application's own jar (a bundled machine) has no links, and its file system refuses
        // the NOFOLLOW option
        boolean bundled = real.getFileSystem() != java.nio.file.FileSystems.getDefault();
        return Channels.newInputStream(bundled ? Files.newByteChannel(real, StandardOpenOption.READ)
                : Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }
}
