package dev.iommufx.io.imports;

/**
 * Something an importer skipped, guessed or could not read, and where: a duplicate or truncated line, an
 * unknown class code, a {@code config} file read without root, a parent that is not in the source...
 *
 * @param where the place in the source: {@code file:line} for text, a path inside a sysfs tree or archive
 * @param what  what was skipped or assumed, and why
 */
public record ImportNote(String where, String what) {
    public ImportNote {
        where = where == null ? "" : where;
        what = what == null ? "" : what;
    }

    @Override
    public String toString() {
        return where.isEmpty() ? what : where + ": " + what;
    }
}
