package dev.iommufx.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iommufx.io.imports.ImportException;
import dev.iommufx.io.imports.ImportResult;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens a file the user names: a scenario, or a topology (which becomes a scenario with no steps). */
public final class MachineFiles {
    private MachineFiles() {
    }

    /** A machine or scenario opened from a file, with what an importer had to skip. */
    public record Opened(Scenario scenario, List<String> notes) {
    }

    public static Scenario load(Path file) throws FormatException {
        return open(file).scenario();
    }

    /**
     * Opens a scenario or topology JSON file, or imports what a user has: a sysfs tree or snapshot archive,
     * a pasted listing (lspci, the group-listing loop, ls-iommu), libvirt or hwloc XML.
     */
    public static Opened open(Path file) throws FormatException {
        if (!Files.exists(file)) {
            throw new FormatException(file.toString(), 0, 0, "$", "no such file");
        }
        if (Files.isRegularFile(file) && looksLikeJson(file)) {
            if (isScenario(file)) {
                return new Opened(ScenarioReader.read(file), List.of());
            }
            Topology t = PciIds.system().name(TopologyReader.read(file));
            return new Opened(new Scenario(t.name(), t.description(), Scenario.DEFAULT_KERNEL, t,
                    file.toAbsolutePath().normalize().toString(), List.of()), List.of());
        }
        try {
            ImportResult r = Importers.open(file);
            Topology t = PciIds.system().name(r.topology());
            List<String> notes = r.notes().stream().map(Object::toString).toList();
            return new Opened(new Scenario(t.name(), t.description(), Scenario.DEFAULT_KERNEL, t, "inline",
                    List.of()), notes);
        } catch (ImportException e) {
            String also = e.notes().isEmpty() ? "" : " (" + e.notes().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining("; ")) + ")";
            String where = e.where().isEmpty() || e.where().equals(file.toString()) ? file.toString() : e.where();
            throw new FormatException(where, 0, 0, "$", e.problem() + also, e);
        } catch (IOException e) {
            throw new FormatException(file.toString(), 0, 0, "$", "cannot read: " + e.getMessage());
        }
    }

    /** JSON starts with "{" (after white space); everything else goes to the importers. */
    private static boolean looksLikeJson(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return true;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            return c == '{';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The path a command-line argument names: {@code bundled:scenarios/...} for a file shipped with iommufx
     * (see {@link BundledFiles}), or a path on this machine.
     */
    public static Path locate(String arg) throws FormatException {
        if (BundledFiles.isBundledName(arg)) {
            return BundledFiles.APP.resolve(arg);
        }
        try {
            return Path.of(arg);
        } catch (java.nio.file.InvalidPathException e) {
            throw new FormatException(Printable.of(arg), 0, 0, "$", "not a valid path: " + e.getReason());
        }
    }

    /** A scenario's or topology's title and the first sentence of its description, for menus. */
    public record Summary(String title, String line) {
    }

    /** The title and one-line summary of a JSON scenario or topology, or the file's name if it has none. */
    public static Summary summary(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        try (java.io.InputStream in = Files.newInputStream(file)) {
            JsonNode root = new ObjectMapper().readTree(in);
            String title = root.path("title").asText(root.path("name").asText(name));
            return new Summary(title, firstSentence(root.path("description").asText("")));
        } catch (IOException | RuntimeException e) {
            return new Summary(name, "");
        }
    }

    /** Up to the first full stop followed by a space, and at most 140 characters. */
    static String firstSentence(String text) {
        String t = text.strip();
        int stop = t.indexOf(". ");
        String s = stop < 0 ? t : t.substring(0, stop + 1);
        return s.length() <= 140 ? s : s.substring(0, 139) + "…";
    }

    /**
     * A scenario has "steps" at its top level; anything unreadable goes to the topology reader to be explained.
     * Read as a stream, because a bundled file's path lies inside the jar and has no {@code File} behind it.
     */
    public static boolean isScenario(Path file) {
        try {
            JsonNode root;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                root = new ObjectMapper().readTree(in);
            }
            return root != null && root.isObject() && root.has("steps");
        } catch (IOException e) {
            return false;
        }
    }
}
