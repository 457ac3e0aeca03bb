package dev.iommufx.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One JSON value of a parsed file together with where it was written: file, line, column and JSON path.
 * Jackson's {@code JsonNode} forgets locations, and every error must point the user at the spot, so the
 * readers work on this light tree built by {@link JsonTree}. The typed accessors refuse other kinds of value
 * with a {@link FormatException} that says what was expected and what was found.
 */
final class Node {
    enum Kind { OBJECT, ARRAY, STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    /** A 1-based line and column. */
    record Position(int line, int column) {
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,200}");
    private static final int SHOWN_TEXT = 40;

    // A file may hold a million values: a node keeps no path of its own (it is built from the parents when an
    // error needs it) and makes its collections only when it is an object or an array.
    private final Kind kind;
    private final String file;
    private final Node parent;
    /** The key under which this value sits in its parent object, or null in an array or at the top. */
    private final String key;
    private final int index;
    private final int line;
    private final int column;
    private int keyLine;
    private int keyColumn;
    /** String for STRING and DECIMAL (its text), BigInteger for INTEGER, Boolean for BOOLEAN. */
    private final Object scalar;
    private final Map<String, Node> fields;
    private final List<Node> items;

    /**
     * @param parent the enclosing object or array, null at the top
     * @param key    the key in the parent object, or null
     * @param index  the index in the parent array (ignored with a key)
     */
    Node(Kind kind, String file, Node parent, String key, int index, Position at, Object scalar) {
        this.kind = kind;
        this.file = file;
        this.parent = parent;
        this.key = key;
        this.index = index;
        this.line = at.line();
        this.column = at.column();
        this.scalar = scalar;
        this.fields = kind == Kind.OBJECT ? new LinkedHashMap<>() : Map.of();
        this.items = kind == Kind.ARRAY ? new ArrayList<>() : List.of();
    }

    /** Used by the parser only. */
    void addField(String key, Position keyPosition, Node value) {
        fields.put(key, value);
        value.keyLine = keyPosition.line();
        value.keyColumn = keyPosition.column();
    }

    /** Used by the parser only. */
    void addItem(Node item) {
        items.add(item);
    }

    /** {@code $.a.b}, or {@code $.a["0000:01:00.0"]} when the key is not a plain name. */
    static String childPath(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return parent + "." + key;
        }
        String shown = key.length() > SHOWN_TEXT ? key.substring(0, SHOWN_TEXT) + "..." : key;
        return parent + "[\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    static String itemPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    Kind kind() {
        return kind;
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    String file() {
        return file;
    }

    /** {@code $.devices[2].parent}: built from the parents, for messages. */
    String path() {
        if (parent == null) {
            return "$";
        }
        return key != null ? childPath(parent.path(), key) : itemPath(parent.path(), index);
    }

    Position position() {
        return new Position(line, column);
    }

    /** The object's keys in file order (empty for other kinds). */
    Set<String> keys() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    /** The value under a key of this object, or null when absent. */
    Node field(String key) {
        return fields.get(key);
    }

    FormatException error(String problem) {
        return new FormatException(file, line, column, path(), problem);
    }

    /** An error about a key itself (unknown, misplaced): points at the key, not at its value. */
    FormatException keyError(String key, String problem) {
        Node value = fields.get(key);
        if (value == null) {
            return new FormatException(file, line, column, childPath(path(), key), problem);
        }
        return new FormatException(file, value.keyLine, value.keyColumn, childPath(path(), key), problem);
    }

    void requireObject(String what) throws FormatException {
        if (kind != Kind.OBJECT) {
            throw error("expected an object (" + what + "), found " + describe());
        }
    }

    List<Node> array(String what) throws FormatException {
        if (kind != Kind.ARRAY) {
            throw error("expected an array (" + what + "), found " + describe());
        }
        return Collections.unmodifiableList(items);
    }

    String string() throws FormatException {
        if (kind != Kind.STRING) {
            throw error("expected a string, found " + describe());
        }
        return (String) scalar;
    }

    String nonEmptyString() throws FormatException {
        String text = string();
        if (text.isEmpty()) {
            throw error("expected a non-empty string, found \"\"");
        }
        return text;
    }

    boolean bool() throws FormatException {
        if (kind != Kind.BOOLEAN) {
            throw error("expected true or false, found " + describe());
        }
        return (Boolean) scalar;
    }

    /** A JSON integer from 0 to {@code max}. */
    long nonNegative(long max) throws FormatException {
        if (kind != Kind.INTEGER) {
            throw error("expected a non-negative integer, found " + describe());
        }
        BigInteger value = (BigInteger) scalar;
        if (value.signum() < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error("expected an integer from 0 to " + max + ", found " + value);
        }
        return value.longValueExact();
    }

    int nonNegativeInt() throws FormatException {
        return (int) nonNegative(Integer.MAX_VALUE);
    }

    /** How the value looks, for "found ..." in messages: {@code 12 (a number)}, {@code "abc"}, {@code an object}. */
    String describe() {
        return switch (kind) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            case BOOLEAN -> scalar + " (a boolean)";
            case INTEGER, DECIMAL -> scalar + " (a number)";
            case STRING -> quote((String) scalar);
        };
    }

    /** A string in double quotes for messages, shortened when long. */
    static String quote(String text) {
        String shown = text.length() > SHOWN_TEXT ? text.substring(0, SHOWN_TEXT) + "..." : text;
        return "\"" + shown + "\"";
    }
}
