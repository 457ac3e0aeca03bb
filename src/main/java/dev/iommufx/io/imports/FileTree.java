package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.io.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A read-only file tree with symbolic links: a directory on disk (the live {@code /}, or an unpacked
 * snapshot, {@link OnDisk}) or the entries of a tar archive ({@link ArchiveTree}). Paths are relative, '/'-separated, "" is the root. Links are
 * followed lexically here, not by the operating system, so a snapshot resolves the same way unpacked or
 * packed, and nothing escapes the root: ".." stops at the root and an absolute target starts from it (as
 * under {@code chroot}). Nothing here writes, and only regular files are opened (a FIFO in an unpacked
 * snapshot would block its reader forever). Bounded: one resolution walks at most {@link #MAX_STEPS} path
 * components and {@link #MAX_LINKS} links, and all listings together name at most
 * {@link Limits#ARCHIVE_ENTRIES} entries.
 */
abstract class FileTree {
    enum Kind { FILE, DIR, LINK, SPECIAL, MISSING }

    /** A tree larger than the limits: the importer refuses it with this message. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String problem) {
            super(problem);
        }
    }

    private static final int MAX_LINKS = 40; // the kernel's MAXSYMLINKS
    /** Path components one resolution may walk, those of link targets included (4096 bytes hold 2048). */
    private static final int MAX_STEPS = 4096;

    private long listed;

    /** The kind of the entry itself (a link is not followed); the path's directories must be resolved. */
    abstract Kind kind(String path);

    /** The text of a link, as stored. */
    abstract String linkTarget(String path) throws IOException;

    /** Up to {@code max} bytes of a regular file (sysfs {@code config} reads shorter without root). */
    abstract byte[] read(String path, int max) throws IOException;

    /** The names in a directory, sorted. */
    abstract List<String> list(String dir) throws IOException;

    /** The root, as a handle for {@link #child}. */
    abstract Object root();

    /** The entry named {@code name} in a directory, or null when there is none. */
    abstract Object child(Object dir, String name);

    abstract Kind kindOf(Object entry);

    abstract String linkTargetOf(Object entry) throws IOException;

    /** The path with every link followed, or null when it does not exist, links loop or the walk is too long. */
    String resolve(String path) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> names = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        int hops = 0;
        for (int steps = 0; !todo.isEmpty(); steps++) {
            String c = todo.pollFirst();
            if (steps > MAX_STEPS || todo.size() > MAX_STEPS) {
                return null;
            }
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                    entries.remove(entries.size() - 1);
                }
                continue;
            }
            Object dir = entries.isEmpty() ? root() : entries.get(entries.size() - 1);
            Object entry = kindOf(dir) == Kind.DIR ? child(dir, c) : null;
            if (entry == null) {
                return null;
            }
            if (kindOf(entry) == Kind.LINK) {
                String target;
                try {
                    target = linkTargetOf(entry);
                } catch (IOException e) {
                    return null;
                }
                if (++hops > MAX_LINKS || target.length() > Limits.PATH_BYTES) {
                    return null;
                }
                if (target.startsWith("/")) {
                    names.clear();
                    entries.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            names.add(c);
            entries.add(entry);
        }
        return String.join("/", names);
    }

    /** The kind after following links. */
    Kind kindResolved(String path) {
        String r = resolve(path);
        return r == null ? Kind.MISSING : kind(r);
    }

    /** A small text file, trimmed, or null when absent or unreadable. */
    String text(String path) {
        byte[] b = bytes(path, 4096);
        return b == null ? null : new String(b, StandardCharsets.UTF_8).trim();
    }

    /** A regular file's bytes with links followed, or null when absent, not a regular file or unreadable. */
    byte[] bytes(String path, int max) {
        String r = resolve(path);
        if (r == null || kind(r) != Kind.FILE) {
            return null;
        }
        try {
            return read(r, max);
        } catch (IOException e) {
            return null;
        }
    }

    /** The target of a link in a resolved directory, or null when the entry is not a link. */
    String link(String path) {
        try {
            return kind(path) == Kind.LINK ? linkTarget(path) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The names in a directory after following links; empty when it is not one.
     *
     * @throws TooLarge past {@link Limits#ARCHIVE_ENTRIES} names listed in all
     */
    List<String> names(String dir) {
        String r = resolve(dir);
        if (r == null || kind(r) != Kind.DIR) {
            return List.of();
        }
        List<String> names;
        try {
            names = list(r);
        } catch (IOException e) {
            return List.of();
        }
        listed += names.size();
        if (listed > Limits.ARCHIVE_ENTRIES) {
            throw new TooLarge("more than " + Limits.count(Limits.ARCHIVE_ENTRIES) + " entries in the directories"
                    + " read (the limit)");
        }
        return names;
    }

    static List<String> split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** A directory on disk. */
    static final class OnDisk extends FileTree {
        private final Path root;

        /** @param root the directory; links to it are followed here, once, so that its entries are found */
        OnDisk(Path root) {
            Path real;
            try {
                real = root.toRealPath();
            } catch (IOException e) {
                real = root;
            }
            this.root = real;
        }

        private Path at(String path) {
            return path.isEmpty() ? root : root.resolve(path);
        }

        private static Kind kindOfPath(Path p) {
            return switch (SafeFiles.kindNoFollow(p)) {
                case FILE -> Kind.FILE;
                case DIRECTORY -> Kind.DIR;
                case LINK -> Kind.LINK;
                case MISSING -> Kind.MISSING;
                default -> Kind.SPECIAL;
            };
        }

        @Override
        Kind kind(String path) {
            try {
                return kindOfPath(at(path));
            } catch (InvalidPathException e) {
                return Kind.MISSING;
            }
        }

        @Override
        String linkTarget(String path) throws IOException {
            return Files.readSymbolicLink(at(path)).toString();
        }

        @Override
        byte[] read(String path, int max) throws IOException {
            Path p = at(path);
            if (kindOfPath(p) != Kind.FILE) { // never open a FIFO or a device
                throw new IOException("not a regular file: " + path);
            }
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS))) {
                return in.readNBytes(max);
            }
        }

        @Override
        List<String> list(String dir) throws IOException {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(at(dir))) {
                for (Path p : s) {
                    if (out.size() >= Limits.ARCHIVE_ENTRIES) {
                        throw new TooLarge(dir + ": more than " + Limits.count(Limits.ARCHIVE_ENTRIES)
                                + " entries in one directory (the limit)");
                    }
                    out.add(p.getFileName().toString());
                }
            }
            out.sort(null);
            return out;
        }

        @Override
        Object root() {
            return root;
        }

        @Override
        Object child(Object dir, String name) {
            try {
                Path p = ((Path) dir).resolve(name);
                return kindOfPath(p) == Kind.MISSING ? null : p;
            } catch (InvalidPathException e) {
                return null;
            }
        }

        @Override
        Kind kindOf(Object entry) {
            return kindOfPath((Path) entry);
        }

        @Override
        String linkTargetOf(Object entry) throws IOException {
            return Files.readSymbolicLink((Path) entry).toString();
        }
    }
}
