package dev.iommufx.io.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A read-only file tree with symbolic links: a directory on disk (the live {@code /}, or an unpacked
 * snapshot) or the entries of a tar archive. Paths are relative, '/'-separated, "" is the root. Links are
 * followed lexically here, not by the operating system, so a snapshot resolves the same way unpacked or
 * packed, and nothing escapes the root: ".." stops at the root and an absolute target starts from it (as
 * under {@code chroot}). Nothing here writes.
 */
abstract class FileTree {
    enum Kind { FILE, DIR, LINK, MISSING }

    private static final int MAX_LINKS = 40; // the kernel's MAXSYMLINKS

    /** The kind of the entry itself (a link is not followed); the path's directories must be resolved. */
    abstract Kind kind(String path);

    /** The text of a link, as stored. */
    abstract String linkTarget(String path) throws IOException;

    /** Up to {@code max} bytes of a file (sysfs {@code config} reads shorter without root). */
    abstract byte[] read(String path, int max) throws IOException;

    /** The names in a directory, sorted. */
    abstract List<String> list(String dir) throws IOException;

    /** The path with every link followed, or null when it does not exist or links loop. */
    String resolve(String path) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(c);
            String cur = String.join("/", done);
            Kind k = kind(cur);
            if (k == Kind.MISSING) {
                return null;
            }
            if (k == Kind.LINK) {
                String target;
                try {
                    target = linkTarget(cur);
                } catch (IOException e) {
                    return null;
                }
                if (++hops > MAX_LINKS) {
                    return null;
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
            }
        }
        return String.join("/", done);
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

    /** A file's bytes with links followed, or null when absent or unreadable. */
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

    /** The names in a directory after following links; empty when it is not one. */
    List<String> names(String dir) {
        String r = resolve(dir);
        if (r == null || kind(r) != Kind.DIR) {
            return List.of();
        }
        try {
            return list(r);
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** A directory on disk. */
    static final class OnDisk extends FileTree {
        private final Path root;

        OnDisk(Path root) {
            this.root = root;
        }

        private Path at(String path) {
            return path.isEmpty() ? root : root.resolve(path);
        }

        @Override
        Kind kind(String path) {
            try {
                BasicFileAttributes a = Files.readAttributes(at(path), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                return a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.DIR : Kind.FILE;
            } catch (IOException e) {
                return Kind.MISSING;
            }
        }

        @Override
        String linkTarget(String path) throws IOException {
            return Files.readSymbolicLink(at(path)).toString();
        }

        @Override
        byte[] read(String path, int max) throws IOException {
            try (InputStream in = Files.newInputStream(at(path))) {
                return in.readNBytes(max);
            }
        }

        @Override
        List<String> list(String dir) throws IOException {
            try (Stream<Path> s = Files.list(at(dir))) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
    }

    /** The entries of an archive, held in memory. */
    static final class InMemory extends FileTree {
        private record Node(Kind kind, byte[] data, String target) {
        }

        private final Map<String, Node> nodes = new TreeMap<>();

        /** @param notes receives entries whose names leave the archive's root */
        InMemory(List<TarArchive.Entry> entries, String source, List<ImportNote> notes) {
            nodes.put("", new Node(Kind.DIR, null, null));
            for (TarArchive.Entry e : entries) {
                List<String> parts = split(e.name());
                if (parts.isEmpty() || parts.contains("..")) {
                    notes.add(new ImportNote(source + ":" + e.name(), "entry outside the archive's root skipped"));
                    continue;
                }
                parts = parts.stream().filter(p -> !p.equals(".")).toList();
                for (int i = 1; i < parts.size(); i++) {
                    nodes.putIfAbsent(String.join("/", parts.subList(0, i)), new Node(Kind.DIR, null, null));
                }
                Node n = switch (e.type()) {
                    case '2' -> new Node(Kind.LINK, null, e.linkTarget());
                    case '5' -> new Node(Kind.DIR, null, null);
                    default -> new Node(Kind.FILE, e.data(), null);
                };
                nodes.put(String.join("/", parts), n);
            }
        }

        @Override
        Kind kind(String path) {
            Node n = nodes.get(path);
            return n == null ? Kind.MISSING : n.kind();
        }

        @Override
        String linkTarget(String path) throws IOException {
            Node n = nodes.get(path);
            if (n == null || n.kind() != Kind.LINK) {
                throw new IOException("not a link: " + path);
            }
            return n.target();
        }

        @Override
        byte[] read(String path, int max) throws IOException {
            Node n = nodes.get(path);
            if (n == null || n.kind() != Kind.FILE) {
                throw new IOException("not a file: " + path);
            }
            return Arrays.copyOf(n.data(), Math.min(max, n.data().length));
        }

        @Override
        List<String> list(String dir) {
            String prefix = dir.isEmpty() ? "" : dir + "/";
            List<String> out = new ArrayList<>();
            for (String key : nodes.keySet()) {
                if (key.startsWith(prefix) && key.length() > prefix.length() && key.indexOf('/', prefix.length()) < 0) {
                    out.add(key.substring(prefix.length()));
                }
            }
            return out;
        }
    }
}
