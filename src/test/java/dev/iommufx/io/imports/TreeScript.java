package dev.iommufx.io.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A file tree written as text, so that the fuzz tests of the sysfs importer can keep their inputs as small
 * text files and the fuzzer can mutate paths, links and contents one line at a time:
 * <pre>
 * #tree            (or "#tree gz" for a gzip-compressed archive)
 * d sys/kernel/iommu_groups/1/devices
 * f sys/devices/pci0000:00/0000:00:01.0/vendor 0x8086\n
 * l sys/bus/pci/devices/0000:00:01.0 ../../../devices/pci0000:00/0000:00:01.0
 * </pre>
 * File contents may use {@code \n}, {@code \\} and {@code \xHH}.
 */
final class TreeScript {
    static final String MAGIC = "#tree";
    /** Entries one input may make: a fuzz input is small, and the disk is slow. */
    private static final int MAX_ENTRIES = 300;

    record Line(char kind, String path, byte[] data, String target) {
    }

    final boolean gzip;
    final List<Line> lines;

    private TreeScript(boolean gzip, List<Line> lines) {
        this.gzip = gzip;
        this.lines = lines;
    }

    /** Null when the text is not a tree script. */
    static TreeScript parse(String text) {
        if (!text.startsWith(MAGIC)) {
            return null;
        }
        List<Line> out = new ArrayList<>();
        String[] rows = text.split("\n");
        for (int i = 1; i < rows.length && out.size() < MAX_ENTRIES; i++) {
            String row = rows[i];
            if (row.length() < 3 || row.charAt(1) != ' ') {
                continue;
            }
            String rest = row.substring(2);
            int sp = rest.indexOf(' ');
            String path = sp < 0 ? rest : rest.substring(0, sp);
            String arg = sp < 0 ? "" : rest.substring(sp + 1);
            switch (row.charAt(0)) {
                case 'd' -> out.add(new Line('d', path, new byte[0], null));
                case 'f' -> out.add(new Line('f', path, unescape(arg), null));
                case 'l' -> out.add(new Line('l', path, new byte[0], arg));
                default -> { }
            }
        }
        return new TreeScript(rows[0].contains("gz"), out);
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'n') {
                    b.write('\n');
                } else if (n == 'x' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                        && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    b.write(n);
                }
            } else {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    /** The tree as a tar archive (gzip-compressed with "#tree gz"). */
    byte[] archive() {
        TarWriter w = new TarWriter();
        for (Line l : lines) {
            switch (l.kind()) {
                case 'd' -> w.dir(l.path());
                case 'f' -> w.entry(l.path(), '0', l.data(), "", "");
                default -> w.symlink(l.path(), l.target());
            }
        }
        return gzip ? TarWriter.gzip(w.tar()) : w.tar();
    }

    /** Makes the tree under an empty directory; entries that would leave it are left out. */
    void materialise(Path root) throws IOException {
        for (Line l : lines) {
            Path p;
            try {
                p = root.resolve(l.path()).normalize();
            } catch (InvalidPathException e) {
                continue;
            }
            if (!p.startsWith(root) || p.equals(root)) {
                continue;
            }
            try {
                Files.createDirectories(p.getParent());
                switch (l.kind()) {
                    case 'd' -> Files.createDirectories(p);
                    case 'f' -> Files.write(p, l.data());
                    default -> Files.createSymbolicLink(p, Path.of(l.target()));
                }
            } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
                // a path through a file or a link, or one made twice: the tree is whatever could be made
            }
        }
    }

    /** Empties a directory without following links. */
    static void clear(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (!dir.equals(root)) {
                    Files.delete(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
