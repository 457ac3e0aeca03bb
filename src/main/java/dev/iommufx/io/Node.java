package dev.iommufx.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int SHOWN_TEXT = 40;

    private final Kind kind;
    private final String file;
    private final String path;
    private final Position position;
    /** String for STRING and DECIMAL (its text), BigInteger for INTEGER, Boolean for BOOLEAN. */
    private final Object scalar;
    private final Map<String, Node> fields = new LinkedHashMap<>();
    private final Map<String, Position> keyPositions = new HashMap<>();
    private final List<Node> items = new ArrayList<>();

    Node(Kind kind, String file, String path, Position position, Object scalar) {
        this.kind = kind;
        this.file = file;
        this.path = path;
        this.position = position;
        this.scalar = scalar;
    }

    /** Used by the parser only. */
    void addField(String key, Position keyPosition, Node value) {
        fields.put(key, value);
        keyPositions.put(key, keyPosition);
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
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
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

    String path() {
        return path;
    }

    Position position() {
        return position;
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
        return new FormatException(file, position.line(), position.column(), path, problem);
    }

    /** An error about a key itself (unknown, misplaced): points at the key, not at its value. */
    FormatException keyError(String key, String problem) {
        Position at = keyPositions.getOrDefault(key, position);
        return new FormatException(file, at.line(), at.column(), childPath(path, key), problem);
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
