package dev.iommufx.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON text into a {@link Node} tree with Jackson's streaming parser, recording where each value
 * starts. Jackson's own syntax errors (bad JSON, a key given twice) become {@link FormatException}s
 * with the same file, line, column and JSON path as the readers' errors.
 */
final class JsonTree {
    /** Duplicate keys are refused by Jackson itself: a second "driver" would silently win otherwise. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Jackson words this "Duplicate Object property "x"" (2.16+) or "Duplicate field 'x'" (older). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:Object property|field) [\"'](.*)[\"']");

    private final String file;

    private JsonTree(String file) {
        this.file = file == null ? FormatException.INLINE : file;
    }

    /** Reads a UTF-8 file; the file's name in errors is the path as given. */
    static Node read(Path path) throws FormatException {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new FormatException(name, 0, 0, "$", "no such file");
        } catch (CharacterCodingException e) {
            throw new FormatException(name, 0, 0, "$", "the file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new FormatException(name, 0, 0, "$", "cannot read the file: " + e.getMessage(), e);
        }
        return parse(stripByteOrderMark(text), name);
    }

    /** Some Windows editors start UTF-8 files with U+FEFF, which is not JSON. */
    private static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses one JSON value, refusing an empty text and anything after the value. */
    static Node parse(String text, String file) throws FormatException {
        return new JsonTree(file).parseDocument(text);
    }

    private Node parseDocument(String text) throws FormatException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            try {
                if (parser.nextToken() == null) {
                    throw new FormatException(file, 1, 1, "$", "the file is empty (expected a JSON object)");
                }
                Node root = readValue(parser, "$");
                if (parser.nextToken() != null) {
                    throw at(parser.currentTokenLocation(), "$",
                            "unexpected content after the end of the top-level value (a file holds one JSON object)");
                }
                return root;
            } catch (StreamReadException e) {
                throw syntaxError(e, parser, text);
            }
        } catch (IOException e) {
            // reading from a String does no I/O; this is here because the parser's API declares it
            throw new FormatException(file, 0, 0, "$", "cannot parse: " + e.getMessage(), e);
        }
    }

    private Node readValue(JsonParser parser, String path) throws IOException {
        Node.Position at = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readObject(parser, path, at);
            case START_ARRAY -> readArray(parser, path, at);
            case VALUE_STRING -> new Node(Node.Kind.STRING, file, path, at, parser.getText());
            case VALUE_NUMBER_INT -> new Node(Node.Kind.INTEGER, file, path, at, parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> new Node(Node.Kind.DECIMAL, file, path, at, parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> new Node(Node.Kind.BOOLEAN, file, path, at, parser.getBooleanValue());
            case VALUE_NULL -> new Node(Node.Kind.NULL, file, path, at, null);
            default -> throw new IllegalStateException("unexpected token " + token + " at " + path);
        };
    }

    private Node readObject(JsonParser parser, String path, Node.Position at) throws IOException {
        Node object = new Node(Node.Kind.OBJECT, file, path, at, null);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Node.Position keyAt = position(parser.currentTokenLocation());
            parser.nextToken();
            object.addField(key, keyAt, readValue(parser, Node.childPath(path, key)));
        }
        return object;
    }

    private Node readArray(JsonParser parser, String path, Node.Position at) throws IOException {
        Node array = new Node(Node.Kind.ARRAY, file, path, at, null);
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.addItem(readValue(parser, Node.itemPath(path, index++)));
        }
        return array;
    }

    private FormatException syntaxError(StreamReadException e, JsonParser parser, String text) {
        String path = pathOf(parser.getParsingContext());
        String original = e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(original);
        JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        Node.Position pos = position(where);
        if (duplicate.find()) {
            Node.Position key = keyStart(text, pos, duplicate.group(1));
            return new FormatException(file, key.line(), key.column(), path, "duplicate key \"" + duplicate.group(1)
                    + "\" (each key may appear only once in an object)", e);
        }
        return new FormatException(file, pos.line(), pos.column(), path,
                "invalid JSON: " + original.replace('\n', ' '), e);
    }

    /**
     * Jackson reports a duplicate key just after its closing quote; the user looks for the key itself, so
     * step back over {@code "key"} when the text there is exactly that (it is not when the key has escapes).
     */
    private static Node.Position keyStart(String text, Node.Position after, String key) {
        String[] lines = text.split("\n", -1);
        if (after.line() < 1 || after.line() > lines.length) {
            return after;
        }
        String line = lines[after.line() - 1];
        String quoted = "\"" + key + "\"";
        int start = after.column() - 1 - quoted.length();
        if (start >= 0 && line.startsWith(quoted, start)) {
            return new Node.Position(after.line(), start + 1);
        }
        return after;
    }

    /** The JSON path of where the parser stopped, from Jackson's nesting contexts. */
    private static String pathOf(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "$";
        }
        String parent = pathOf(context.getParent());
        if (context.inArray()) {
            return Node.itemPath(parent, Math.max(context.getCurrentIndex(), 0));
        }
        String name = context.getCurrentName();
        return name == null ? parent : Node.childPath(parent, name);
    }

    private FormatException at(JsonLocation location, String path, String problem) {
        Node.Position pos = position(location);
        return new FormatException(file, pos.line(), pos.column(), path, problem);
    }

    private static Node.Position position(JsonLocation location) {
        return new Node.Position(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }
}
