package dev.iommufx.support;

import dev.iommufx.io.BundledFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The bundled files as the installed application sees them: {@code topologies/} packed into a jar, read through a
 * class loader that sees only that jar. Paths into it belong to the jar's file system, where {@code toFile()}
 * fails, exactly as in the shipped application; a test that loads from the build's folders could not tell.
 */
public final class BundleJar {
    private BundleJar() {
    }

    /** Packs the project's {@code topologies/} into {@code dir/bundle.jar} and returns its bundled files. */
    public static BundledFiles pack(Path dir) {
        Path source = Path.of("topologies");
        Path jar = dir.resolve("bundle.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> walk = Files.walk(source)) {
            List<Path> all = walk.sorted().toList();
            for (Path p : all) {
                String relative = source.relativize(p).toString().replace('\\', '/');
                String name = relative.isEmpty() ? "topologies" : "topologies/" + relative;
                if (Files.isDirectory(p)) {
                    zip.putNextEntry(new JarEntry(name + "/"));
                    zip.closeEntry();
                } else {
                    zip.putNextEntry(new JarEntry(name));
                    Files.copy(p, zip);
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // no parent: the build's own topologies/ folder must not be found instead of the jar's
            return new BundledFiles(new URLClassLoader(new URL[] {jar.toUri().toURL()}, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
