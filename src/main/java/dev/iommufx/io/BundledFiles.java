package dev.iommufx.io;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The machines and scenarios shipped inside the application ({@code topologies/} of the source tree, inside the
 * jar when installed). They are read through {@link Path}s of the jar's own file system, never as {@code File}s,
 * because a path inside a jar has no file behind it. A user, a README or a teacher's handout names one as
 * {@code bundled:scenarios/01-canonical-flow.json}, relative to {@code topologies/}.
 */
public final class BundledFiles {
    /** The prefix that names a bundled file on the command line and in the recent-files list. */
    public static final String PREFIX = "bundled:";
    private static final String FOLDER = "topologies";

    /** The files bundled with this application. */
    public static final BundledFiles APP = new BundledFiles(BundledFiles.class.getClassLoader());

    private final ClassLoader loader;
    private Path root;

    /** The bundled files as seen by a class loader (the application's, or a test's loader over a built jar). */
    public BundledFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether a command-line argument names a bundled file. */
    public static boolean isBundledName(String arg) {
        return arg.startsWith(PREFIX);
    }

    /**
     * The path of {@code bundled:RELATIVE}.
     *
     * @throws FormatException naming the argument when nothing is bundled under that name
     */
    public Path resolve(String arg) throws FormatException {
        String relative = arg.substring(PREFIX.length());
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        Path top = root();
        if (top == null) {
            throw new FormatException(arg, 0, 0, "$", "this build of iommufx has no bundled files");
        }
        Path p = top.resolve(relative).normalize();
        if (relative.isEmpty() || !p.startsWith(top) || !Files.isRegularFile(p)) {
            throw new FormatException(arg, 0, 0, "$", "no such bundled file (expected a path under "
                    + "topologies/ such as bundled:scenarios/01-canonical-flow.json)");
        }
        return p;
    }

    /** The {@code bundled:} name of a path inside the bundle, or null if it is not one of the bundled files. */
    public String nameOf(Path p) {
        Path top = root();
        if (top == null || p.getFileSystem() != top.getFileSystem()) {
            return null;
        }
        Path n = p.toAbsolutePath().normalize();
        return n.startsWith(top) ? PREFIX + top.relativize(n).toString().replace('\\', '/') : null;
    }

    /** The JSON files of one bundled folder (for example {@code scenarios/history}), sorted by name. */
    public List<Path> list(String folder) {
        Path top = root();
        if (top == null) {
            return List.of();
        }
        Path dir = top.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The bundle's top folder, opening the jar's file system the first time; null when nothing is bundled. */
    private synchronized Path root() {
        if (root == null) {
            root = locate();
        }
        return root;
    }

    private Path locate() {
        URL url = loader.getResource(FOLDER);
        if (url == null) {
            return null;
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return Path.of(uri).toAbsolutePath().normalize();
            }
            FileSystem fs;
            try {
                fs = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            return fs.getPath("/" + FOLDER);
        } catch (IOException | URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
