package dev.iommufx.ui;

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

/** The teaching scenarios shipped with the application (topologies/scenarios in the jar or the build). */
final class BundledScenarios {
    private static final String FOLDER = "/topologies/scenarios";

    private BundledScenarios() {
    }

    /** The scenario files, sorted by name; empty if none are bundled. */
    static List<Path> list() {
        return list("");
    }

    /** The design-history scenarios (topologies/scenarios/history), sorted by name. */
    static List<Path> history() {
        return list("history");
    }

    private static List<Path> list(String sub) {
        try {
            Path top = folder();
            if (top == null) {
                return List.of();
            }
            Path dir = sub.isEmpty() ? top : top.resolve(sub);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            }
        } catch (IOException | URISyntaxException e) {
            return List.of();
        }
    }

    private static Path folder() throws IOException, URISyntaxException {
        URL url = BundledScenarios.class.getResource(FOLDER);
        if (url == null) {
            return null;
        }
        URI uri = url.toURI();
        if (!uri.getScheme().equals("jar")) {
            return Path.of(uri);
        }
        FileSystem fs;
        try {
            fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            fs = FileSystems.getFileSystem(uri);
        }
        return fs.getPath(FOLDER);
    }
}
