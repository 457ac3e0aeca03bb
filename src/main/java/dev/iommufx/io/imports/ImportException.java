package dev.iommufx.io.imports;

import java.util.List;

/**
 * A source that cannot be imported at all: empty text, text in none of the known formats, malformed XML, an
 * archive or directory without {@code sys/bus/pci/devices}, no PCI device anywhere. Sources that are only
 * partly readable are imported with {@link ImportNote}s instead. {@link #getMessage()} reads
 * {@code where: problem}.
 */
public final class ImportException extends Exception {
    private final String where;
    private final String problem;
    private final List<ImportNote> notes;

    public ImportException(String where, String problem) {
        this(where, problem, List.of(), null);
    }

    /**
     * @param where   the file, path or {@code file:line:column}
     * @param problem what is wrong and what was expected
     * @param notes   what the importer noted before it gave up
     * @param cause   the underlying error, or null
     */
    public ImportException(String where, String problem, List<ImportNote> notes, Throwable cause) {
        super((where == null || where.isEmpty() ? "" : where + ": ") + problem, cause);
        this.where = where == null ? "" : where;
        this.problem = problem;
        this.notes = List.copyOf(notes);
    }

    public String where() {
        return where;
    }

    public String problem() {
        return problem;
    }

    /** What the importer noted before it gave up (a truncated archive's notes, for instance). */
    public List<ImportNote> notes() {
        return notes;
    }
}
