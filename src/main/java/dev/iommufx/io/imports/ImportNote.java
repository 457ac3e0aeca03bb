package dev.iommufx.io.imports;

/**
 * Something an importer skipped, guessed or could not read, and where: a duplicate or truncated line, an
 * unknown class code, a {@code config} file read without root, a parent that is not in the source...
 *
 * @param where the place in the source: {@code file:line} for text, a path inside a sysfs tree or archive
 * @param what  what was skipped or assumed, and why
 */
public record ImportNote(String where, String what) {
    /** Notes kept for one source: a hostile file could otherwise make millions. */
    public static final int MAX = 1000;

    public ImportNote {
        where = where == null ? "" : where;
        what = what == null ? "" : what;
    }

    /**
     * Adds a note unless {@link #MAX} are there already; the first note past that says that the rest are left
     * out, and later ones are dropped.
     */
    static void add(java.util.List<ImportNote> notes, ImportNote note) {
        if (notes.size() < MAX) {
            notes.add(note);
        } else if (notes.size() == MAX) {
            notes.add(new ImportNote("", "more than " + MAX + " notes: the rest are left out"));
        }
    }

    @Override
    public String toString() {
        return where.isEmpty() ? what : where + ": " + what;
    }
}
