package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The entries of an archive, held in memory as a tree of directories: a listing looks at the directory's
 * own entries only, so reading every group directory of an archive is linear in its size.
 */
final class ArchiveTree extends FileTree {
    private static final class Entry {
        final Kind kind;
        final byte[] data;
        final String target;
        final TreeMap<String, Entry> children;

        Entry(Kind kind, byte[] data, String target) {
            this.kind = kind;
            this.data = data;
            this.target = target;
            this.children = kind == Kind.DIR ? new TreeMap<>() : null;
        }
    }

    private final Entry root = new Entry(Kind.DIR, null, null);
    private int count;

    /**
     * @param notes receives entries whose names leave the archive's root or pass through a file
     * @throws TooLarge past {@link Limits#ARCHIVE_ENTRIES} files and directories, counting the directories
     *                  that the paths imply
     */
ArchiveTree(List<TarArchive.Entry> entries, String source, List<ImportNote> notes) {
        for (TarArchive.Entry e : entries) {
            List<String> parts = split(e.name()).stream().filter(p -> !p.equals(".")).toList();
            if (parts.isEmpty() || parts.contains("..")) {
                ImportNote.add(notes, new ImportNote(source + ":" + e.name(), "entry outside the archive's root skipped"));
                continue;
            }
            Entry dir = root;
            for (int i = 0; i < parts.size() - 1 && dir != null; i++) {
                Entry next = dir.children.get(parts.get(i));
                if (next == null) {
                    next = add(dir, parts.get(i), new Entry(Kind.DIR, null, null));
                }
                dir = next.kind == Kind.DIR ? next : null;
            }
            if (dir == null) {
                ImportNote.add(notes, new ImportNote(source + ":" + e.name(), "entry inside something that is not a directory"
                        + " skipped"));
                continue;
            }
            String name = parts.get(parts.size() - 1);
            Entry existing = dir.children.get(name);
            if (existing != null && existing.kind == Kind.DIR && e.type() == '5') {
                continue; // a directory named again keeps what is in it
            }
            add(dir, name, switch (e.type()) {
                case '2' -> new Entry(Kind.LINK, null, e.linkTarget());
                case '5' -> new Entry(Kind.DIR, null, null);
                default -> new Entry(Kind.FILE, e.data(), null);
            });
        }
    }

    private Entry add(Entry dir, String name, Entry entry) {
        if (++count > Limits.ARCHIVE_ENTRIES) {
            throw new TooLarge("more than " + Limits.count(Limits.ARCHIVE_ENTRIES) + " files and directories,"
                    + " counting those the paths imply (the limit)");
        }
        dir.children.put(name, entry);
        return entry;
    }

    private Entry lookup(String path) {
        Entry e = root;
        for (String part : split(path)) {
            e = e.kind == Kind.DIR ? e.children.get(part) : null;
            if (e == null) {
                return null;
            }
        }
        return e;
    }

    @Override
    Kind kind(String path) {
        Entry e = lookup(path);
        return e == null ? Kind.MISSING : e.kind;
    }

    @Override
    String linkTarget(String path) throws IOException {
        Entry e = lookup(path);
        if (e == null || e.kind != Kind.LINK) {
            throw new IOException("not a link: " + path);
        }
        return e.target;
    }

    @Override
    byte[] read(String path, int max) throws IOException {
        Entry e = lookup(path);
        if (e == null || e.kind != Kind.FILE) {
            throw new IOException("not a file: " + path);
        }
        return Arrays.copyOf(e.data, Math.min(max, e.data.length));
    }

    @Override
    List<String> list(String dir) {
        Entry e = lookup(dir);
        return e == null || e.kind != Kind.DIR ? List.of() : new ArrayList<>(e.children.keySet());
    }

    @Override
    Object root() {
        return root;
    }

    @Override
    Object child(Object dir, String name) {
        Entry d = (Entry) dir;
        return d.kind == Kind.DIR ? d.children.get(name) : null;
    }

    @Override
    Kind kindOf(Object entry) {
        return ((Entry) entry).kind;
    }

    @Override
    String linkTargetOf(Object entry) throws IOException {
        Entry e = (Entry) entry;
        if (e.kind != Kind.LINK) {
            throw new IOException("not a link");
        }
        return e.target;
    }
}
