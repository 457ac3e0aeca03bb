package dev.iommufx.io;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A strict view of one JSON object: refuses keys it does not know, reports missing required keys at the
 * object, and reads typed values with the defaults of docs/formats.md. "Optional" means the key may be
 * absent; only the {@code nullable...} methods also accept an explicit JSON null.
 */
final class Fields {
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

    private final Node object;
    private final String what;

    private Fields(Node object, String what) {
        this.object = object;
        this.what = what;
    }

    /**
     * @param what  what the object is, for messages ("a device")
     * @param known every key the object may have
     */
    static Fields of(Node node, String what, List<String> known) throws FormatException {
        node.requireObject(what);
        for (String key : node.keys()) {
            if (!known.contains(key)) {
                throw node.keyError(key, "unknown key " + Node.quote(key) + " in " + what
                        + " (expected one of: " + String.join(", ", known) + ")");
            }
        }
        return new Fields(node, what);
    }

    Node node() {
        return object;
    }

    boolean has(String key) {
        return object.field(key) != null;
    }

    /** The value, or null when the key is absent. */
    Node get(String key) {
        return object.field(key);
    }

    /** The value, present and not null. */
    Node require(String key) throws FormatException {
        Node value = object.field(key);
        if (value == null) {
            throw object.error("missing key " + Node.quote(key) + " (required in " + what + ")");
        }
        return value;
    }

    String requiredString(String key) throws FormatException {
        return require(key).string();
    }

    String requiredNonEmptyString(String key) throws FormatException {
        return require(key).nonEmptyString();
    }

    /** A string, or null when absent. */
    String optionalString(String key) throws FormatException {
        Node value = get(key);
        return value == null ? null : value.string();
    }

    /** A string, or null when absent or null. */
    String nullableString(String key) throws FormatException {
        Node value = get(key);
        return value == null || value.isNull() ? null : value.nonEmptyString();
    }

    boolean bool(String key, boolean absent) throws FormatException {
        Node value = get(key);
        return value == null ? absent : value.bool();
    }

    /** true/false, or null when absent. */
    Boolean optionalBool(String key) throws FormatException {
        Node value = get(key);
        return value == null ? null : value.bool();
    }

    /** A non-negative integer, or null when absent or null. */
    Integer nullableInt(String key) throws FormatException {
        Node value = get(key);
        return value == null || value.isNull() ? null : value.nonNegativeInt();
    }

    <T> T choice(String key, Choice<T> choice, T absent) throws FormatException {
        Node value = get(key);
        return value == null ? absent : choice.read(value);
    }

    /** A named value that may also be null, e.g. {@code "pcieType": null}. */
    <T> T nullableChoice(String key, Choice<T> choice) throws FormatException {
        Node value = get(key);
        return value == null || value.isNull() ? null : choice.read(value);
    }

    /** A string of exactly {@code digits} hex digits, e.g. {@code "10de"}; {@code absent} when missing. */
    int hex(String key, int digits, int absent) throws FormatException {
        Node value = get(key);
        return value == null ? absent : hex(value, digits);
    }

    static int hex(Node value, int digits) throws FormatException {
        String expected = "expected a string of " + digits + " hex digits";
        if (value.kind() != Node.Kind.STRING) {
            throw value.error(expected + ", found " + value.describe());
        }
        String text = value.string();
        if (text.length() != digits || !HEX.matcher(text).matches()) {
            throw value.error(expected + ", found " + value.describe());
        }
        return Integer.parseInt(text, 16);
    }
}
