package dev.iommufx.io;

import dev.iommufx.io.imports.ImportException;
import dev.iommufx.io.imports.ImportResult;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** Opens a file the user names: a scenario, or a topology (which becomes a scenario with no steps). */
public final class MachineFiles {
    /** What may be opened, for messages about what may not. */
    static final String EXPECTED = "expected a topology or scenario (.json), a sysfs snapshot (archive or directory),"
            + " a listing (lspci, the IOMMU group loop, ls-iommu), or libvirt or hwloc XML";

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
     * a pasted listing (lspci, the group-listing loop, ls-iommu), libvirt or hwloc XML. FIFOs, devices and
     * sockets are refused without being opened.
     */
    public static Opened open(Path file) throws FormatException {
        String name = file.toString();
        SafeFiles.Kind kind = SafeFiles.kind(file);
        if (kind == SafeFiles.Kind.MISSING) {
            throw new FormatException(name, 0, 0, "$", "no such file");
        }
        if (kind != SafeFiles.Kind.FILE && kind != SafeFiles.Kind.DIRECTORY) {
            throw new FormatException(name, 0, 0, "$", "is " + kind.description() + ", not a machine file ("
                    + EXPECTED + ")");
        }
        if (kind == SafeFiles.Kind.FILE && looksLikeJson(file)) {
            Node root = JsonTree.read(file);
            if (isScenario(root)) {
                return new Opened(ScenarioReader.fromNode(root, directoryOf(file)), List.of());
            }
            Topology t = PciIds.system().name(TopologyReader.fromNode(root));
            return new Opened(new Scenario(t.name(), t.description(), Scenario.DEFAULT_KERNEL, t,
                    file.toAbsolutePath().normalize().toString(), List.of()), List.of());
        }
        try {
            ImportResult r = Importers.open(file);
            Topology t = PciIds.system().name(r.topology());
            List<String> notes = r.notes().stream().map(Object::toString).toList();
            return new Opened(new Scenario(t.name(), t.description(), Scenario.DEFAULT_KERNEL, t,
                    ScenarioReader.INLINE_TOPOLOGY, List.of()), notes);
        } catch (ImportException e) {
            throw new FormatException(where(e, file), 0, 0, "$", e.problem() + notes(e), e);
        } catch (IOException e) {
            throw new FormatException(name, 0, 0, "$", "cannot read: " + e.getMessage());
        }
    }

    /**
     * Where an importer gave up, always naming the file: {@code snapshot.tar.gz: sys/bus/pci/devices/...},
     * {@code listing.txt:12:5}.
     */
    private static String where(ImportException e, Path file) {
        String name = file.toString();
        String base = file.getFileName() == null ? name : file.getFileName().toString();
        if (e.where().isEmpty() || e.where().equals(name)) {
            return name;
        }
        return e.where().startsWith(base) || e.where().startsWith(name) ? e.where() : name + ": " + e.where();
    }

    /** What the importer noted before it gave up: the first few, then how many more. */
    private static String notes(ImportException e) {
        List<String> shown = e.notes().stream().limit(3).map(Object::toString).toList();
        if (shown.isEmpty()) {
            return "";
        }
        int more = e.notes().size() - shown.size();
        return " (" + String.join("; ", shown) + (more > 0 ? "; and " + more + " more notes" : "") + ")";
    }

    static Path directoryOf(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of("") : parent;
    }

    /** JSON starts with "{" (after white space); everything else goes to the importers. */
    static boolean looksLikeJson(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".json")) {
            return true;
        }
        try (InputStream in = SafeFiles.open(file)) {
            int c;
            int read = 0;
            do {
                c = in.read();
            } while ((c == ' ' || c == '\n' || c == '\r' || c == '\t') && ++read < Limits.LINE_LENGTH);
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
        try {
            Node root = JsonTree.read(file);
            return new Summary(text(root, "title", text(root, "name", name)), firstSentence(text(root, "description",
                    "")));
        } catch (FormatException e) {
            return new Summary(name, "");
        }
    }

    private static String text(Node root, String key, String otherwise) throws FormatException {
        Node n = root.kind() == Node.Kind.OBJECT ? root.field(key) : null;
        return n != null && n.kind() == Node.Kind.STRING ? n.string() : otherwise;
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
            return SafeFiles.kind(file) == SafeFiles.Kind.FILE && isScenario(JsonTree.read(file));
        } catch (FormatException e) {
            return false;
        }
    }

    private static boolean isScenario(Node root) {
        return root.kind() == Node.Kind.OBJECT && root.field("steps") != null;
    }
}
