package dev.iommufx.io;

/**
 * A topology or scenario file that cannot be accepted: where (file, line, column, JSON path) and what was
 * wrong, phrased for someone who typed the file by hand. {@link #getMessage()} reads
 * {@code topologies/mine.json:14:17: $.devices[2].parent: unknown device "0000:09:00.0" (expected ...)}.
 */
public final class FormatException extends Exception {
    /** The file name used for text that did not come from a file. */
    public static final String INLINE = "<inline>";

    private final String file;
    private final int line;
    private final int column;
    private final String jsonPath;
    private final String problem;

    /**
     * @param file     the file's name as the user would recognise it, or null for {@link #INLINE}
     * @param line     1-based line, 0 if unknown
     * @param column   1-based column, 0 if unknown
     * @param jsonPath where in the document, e.g. {@code $.devices[2].parent}
     * @param problem  what is wrong and what was expected
     */
    public FormatException(String file, int line, int column, String jsonPath, String problem) {
        this(file, line, column, jsonPath, problem, null);
    }

    public FormatException(String file, int line, int column, String jsonPath, String problem, Throwable cause) {
        super(format(file, line, column, jsonPath, problem), cause);
        this.file = file == null ? INLINE : file;
        this.line = Math.max(line, 0);
        this.column = Math.max(column, 0);
        this.jsonPath = jsonPath == null ? "$" : jsonPath;
        this.problem = problem;
    }

    /** "file:line:column: path: problem"; a problem of the whole file (no line, no path) is "file: problem". */
    private static String format(String file, int line, int column, String jsonPath, String problem) {
        String name = file == null ? INLINE : file;
        if (line <= 0 && (jsonPath == null || jsonPath.equals("$"))) {
            return name + ": " + problem;
        }
        return name + ":" + Math.max(line, 0) + ":" + Math.max(column, 0) + ": "
                + (jsonPath == null ? "$" : jsonPath) + ": " + problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String jsonPath() {
        return jsonPath;
    }

    public String problem() {
        return problem;
    }
}
