package dev.iommufx.io;

import dev.iommufx.io.imports.ImportException;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine file a scenario's {@code "topology"} names (docs/formats.md, "What a scenario's topology may
 * name"). A scenario may come from a stranger, so the name is not trusted: it may lead only to a machine file
 * the importers read (a topology JSON, a sysfs snapshot archive or directory, a listing, libvirt or hwloc
 * XML), never to a FIFO, a device or a socket, nor into the kernel's pseudo-file systems ({@code /proc},
 * {@code /sys}, {@code /dev}), and a file that is none of these is refused without quoting a word of it.
 * A problem inside a topology file is reported there, saying which scenario named it.
 */
final class ReferencedTopology {
    private static final List<Path> PSEUDO_FILE_SYSTEMS = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private ReferencedTopology() {
    }

    /** @param at the scenario's {@code "topology"} string */
    static Topology read(Node at, Path baseDir) throws FormatException {
        Path file;
        try {
            file = baseDir.resolve(at.string()).normalize();
        } catch (InvalidPathException e) {
            throw at.error("topology file " + at.describe() + " is not a usable path (" + e.getReason() + ")");
        }
        SafeFiles.Kind kind = SafeFiles.kind(file);
        if (kind == SafeFiles.Kind.MISSING) {
            throw at.error("cannot find topology file " + at.describe() + " (looked for " + file
                    + "; the path is relative to the scenario file's directory)");
        }
        if (kind != SafeFiles.Kind.FILE && kind != SafeFiles.Kind.DIRECTORY) {
            throw at.error("topology file " + at.describe() + " is " + kind.description() + ", not a machine file ("
                    + MachineFiles.EXPECTED + ")");
        }
        Path pseudo = pseudoFileSystem(file);
        if (pseudo != null) {
            throw at.error("topology file " + at.describe() + " is in " + pseudo + ", a kernel pseudo-file system,"
                    + " not a machine file (" + MachineFiles.EXPECTED + ")");
        }
        if (kind == SafeFiles.Kind.FILE && MachineFiles.looksLikeJson(file)) {
            return json(at, file);
        }
        return imported(at, file);
    }

    private static Path pseudoFileSystem(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            real = file.toAbsolutePath().normalize();
        }
        for (Path root : PSEUDO_FILE_SYSTEMS) {
            if (real.startsWith(root)) {
                return root;
            }
        }
        return null;
    }

    private static Topology json(Node at, Path file) throws FormatException {
        Node root;
        try {
            root = JsonTree.read(file, false);
        } catch (FormatException e) {
            throw inTopology(at, e);
        }
        Node format = root.field("format");
        boolean topologyShaped = root.kind() == Node.Kind.OBJECT && root.field("devices") != null
                && root.field("steps") == null && (format == null || format.kind() == Node.Kind.STRING
                && TopologyReader.FORMAT.equals(format.string()));
        if (!topologyShaped) {
            throw at.error("topology file " + at.describe() + " is JSON but not an iommufx topology (expected an object"
                    + " with \"devices\" and \"drivers\", format \"" + TopologyReader.FORMAT + "\")");
        }
        try {
            return TopologyReader.fromNode(root);
        } catch (FormatException e) {
            throw inTopology(at, e);
        }
    }

    /**
     * A problem of the topology file as a whole is the scenario's, at {@code $.topology}; a problem at a place
     * in it is reported there, naming the scenario that led to it.
     */
    private static FormatException inTopology(Node at, FormatException e) {
        if (e.line() == 0 && e.jsonPath().equals("$")) {
            return at.error("topology file " + at.describe() + " cannot be read: " + e.problem());
        }
        return new FormatException(e.file(), e.line(), e.column(), e.jsonPath(), e.problem() + " (in the topology that "
                + at.file() + " names at " + at.path() + ", line " + at.position().line() + ")", e);
    }

    private static Topology imported(Node at, Path file) throws FormatException {
        try {
            return PciIds.system().name(Importers.open(file).topology());
        } catch (ImportException e) {
            String where = e.where().isEmpty() ? file.toString() : e.where();
            throw at.error("topology file " + at.describe() + " is not a machine file the importers read ("
                    + where + ": " + withoutQuotedText(e.problem()) + "; " + MachineFiles.EXPECTED + ")");
        } catch (IOException e) {
            throw at.error("cannot read topology file " + at.describe() + ": " + SafeFiles.reason(e));
        }
    }

    /** An XML parser's message may quote the file (an element's name): only its first words are kept. */
    private static String withoutQuotedText(String problem) {
        for (String kind : List.of("malformed XML", "unreadable XML")) {
            if (problem.startsWith(kind)) {
                return kind;
            }
        }
        return problem;
    }
}
