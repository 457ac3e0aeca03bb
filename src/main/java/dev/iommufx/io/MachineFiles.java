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

    /** A scenario has "steps" at its top level; anything unreadable goes to the topology reader to be explained. */
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
