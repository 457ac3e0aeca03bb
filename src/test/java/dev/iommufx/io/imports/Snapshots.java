package dev.iommufx.io.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: the real-kernel sysfs snapshots, unpacked with the importer's own tar reader. */
final class Snapshots {
    static final List<String> MACHINES = List.of("T1-rootports", "T2-pcibridge", "T3-multifunction", "T5-switch");

    private Snapshots() {
    }

    static Path archive(String machine) {
        return resource("/fixtures/kernel-6.1/sysfs/" + machine + "-boot.tar.gz");
    }

    static Path resource(String name) {
        try {
            return Path.of(Snapshots.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no test resource " + name, e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(resource(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TarArchive.Entry> entries(Path archive, List<ImportNote> notes) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return TarArchive.read(in, archive.getFileName().toString(), notes);
        } catch (ImportException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The entries of an archive held in memory. */
    static List<TarArchive.Entry> entries(byte[] archive) throws IOException {
        try {
            return TarArchive.read(new java.io.ByteArrayInputStream(archive), "test.tar", new ArrayList<>());
        } catch (ImportException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Unpacks an archive into a directory, symlinks as symlinks. */
    static void extract(Path archive, Path into) throws IOException {
        for (TarArchive.Entry e : entries(archive, new ArrayList<>())) {
            Path p = into.resolve(e.name());
            Files.createDirectories(e.type() == '5' ? p : p.getParent());
            if (e.type() == '2') {
                Files.createSymbolicLink(p, Path.of(e.linkTarget()));
            } else if (e.type() == '0') {
                Files.write(p, e.data());
            }
        }
    }

    /** Every entry under a directory: relative path to "D", "L:target" or "F:" + content. */
    static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "L:" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "D");
                } else {
                    out.put(rel, "F:" + Arrays.toString(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }
}
