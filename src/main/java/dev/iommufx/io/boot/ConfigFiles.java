package dev.iommufx.io.boot;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of a boot configuration, named by their paths on the machine without the leading slash
 * ({@code etc/modprobe.d/vfio.conf}): either a directory holding a copy of the machine's files, or files held in
 * memory (a scenario's inline configuration, the configuration a plan proposes). Reading is bounded as
 * {@link ConfigText} says; a directory listing holds at most {@link ConfigText#MAX_FILES} files.
 */
public interface ConfigFiles {
    /** The file's text, or null when there is no regular file at that path. */
    String read(String path) throws FormatException;

    /** Whether a directory (or, in memory, any file under it) exists at that path. */
    boolean isDirectory(String path);

    /** The paths of the regular files directly in a directory whose names end with {@code suffix}, by name. */
    List<String> list(String directory, String suffix) throws FormatException;

    /** A directory that holds the machine's files at their paths. */
    static ConfigFiles of(Path root) {
        return new OnDisk(root);
    }

    /** Files held in memory: path to text. */
    static ConfigFiles inMemory(Map<String, String> files) {
        return new InMemory(new TreeMap<>(files));
    }

    /**
     * The machine's files with others laid over them: a file of {@code over} replaces the machine's, except
     * {@link #SHARED} files, whose new lines follow the machine's.
     */
    static ConfigFiles overlay(ConfigFiles base, Map<String, String> over) {
        return new Overlay(base, new TreeMap<>(over));
    }

    /** Files several tools add lines to, which an overlay extends rather than replaces. */
    java.util.Set<String> SHARED = java.util.Set.of("etc/initramfs-tools/modules", "etc/modules");

    /** A copy of the machine's files on disk, each read as a stranger's file is. */
    record OnDisk(Path root) implements ConfigFiles {
        @Override
        public String read(String path) throws FormatException {
            Path p = root.resolve(path);
            return SafeFiles.kind(p) == SafeFiles.Kind.FILE ? ConfigText.read(p, path) : null;
        }

        @Override
        public boolean isDirectory(String path) {
            return SafeFiles.kind(root.resolve(path)) == SafeFiles.Kind.DIRECTORY;
        }

        @Override
        public List<String> list(String directory, String suffix) throws FormatException {
            Path dir = root.resolve(directory);
            if (SafeFiles.kind(dir) != SafeFiles.Kind.DIRECTORY) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            try (var stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(suffix) && SafeFiles.kind(p) == SafeFiles.Kind.FILE) {
                        out.add(directory + "/" + name);
                        if (out.size() > ConfigText.MAX_FILES) {
                            throw new FormatException(directory, 0, 0, "$", "more than " + ConfigText.MAX_FILES
                                    + " files");
                        }
                    }
                }
            } catch (IOException e) {
                throw new FormatException(directory, 0, 0, "$", SafeFiles.reason(e));
            }
            out.sort(Comparator.naturalOrder());
            return out;
        }
    }

    /** The machine's files with others laid over them. */
    record Overlay(ConfigFiles base, TreeMap<String, String> over) implements ConfigFiles {
        @Override
        public String read(String path) throws FormatException {
            String mine = over.get(path);
            String theirs = mine == null || SHARED.contains(path) ? base.read(path) : null;
            return mine == null ? theirs : theirs == null ? mine : theirs + (theirs.endsWith("\n") ? "" : "\n") + mine;
        }

        @Override
        public boolean isDirectory(String path) {
            return base.isDirectory(path) || new InMemory(over).isDirectory(path);
        }

        @Override
        public List<String> list(String directory, String suffix) throws FormatException {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(base.list(directory, suffix));
            all.addAll(new InMemory(over).list(directory, suffix));
            return List.copyOf(all);
        }
    }

    /** Files held in memory, already bounded by whoever made them. */
    record InMemory(TreeMap<String, String> files) implements ConfigFiles {
        @Override
        public String read(String path) throws FormatException {
            String text = files.get(path);
            if (text != null && text.length() > ConfigText.MAX_BYTES) {
                throw new FormatException(path, 0, 0, "$", "more than " + (ConfigText.MAX_BYTES >> 10) + " KiB");
            }
            return text;
        }

        @Override
        public boolean isDirectory(String path) {
            String prefix = path + "/";
            String next = files.ceilingKey(prefix);
            return next != null && next.startsWith(prefix);
        }

        @Override
        public List<String> list(String directory, String suffix) {
            String prefix = directory + "/";
            List<String> out = new ArrayList<>();
            for (String p : files.tailMap(prefix).keySet()) {
                if (!p.startsWith(prefix)) {
                    break;
                }
                String name = p.substring(prefix.length());
                if (!name.contains("/") && name.endsWith(suffix)) {
                    out.add(p);
                }
            }
            return out;
        }
    }
}
