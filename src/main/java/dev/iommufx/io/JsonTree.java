package dev.iommufx.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads JSON text into a {@link Node} tree with Jackson's streaming parser, recording where each value
 * starts. Jackson's own syntax errors (bad JSON, a key given twice) and its size limits become
 * {@link FormatException}s with the same file, line, column and JSON path as the readers' errors. The
 * bounds are {@link Limits}': file size, nesting, string and number length, number of values.
 */
final class JsonTree {
    /** Duplicate keys are refused by Jackson itself: a second "driver" would silently win otherwise. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Limits.JSON_DEPTH)
                    .maxStringLength(Limits.JSON_STRING)
                    .maxNameLength(Limits.JSON_STRING)
                    .maxNumberLength(Limits.JSON_NUMBER_DIGITS)
                    .maxDocumentLength(Limits.JSON_BYTES)
                    .build())
            .build();

    private final String file;
    /** Whether syntax errors may quote the text (not for a file that a scenario names: it may be anything). */
    private final boolean quote;
    private int values;

    private JsonTree(String file, boolean quote) {
        this.file = file == null ? FormatException.INLINE : file;
        this.quote = quote;
    }

    /** Reads a UTF-8 file; the file's name in errors is the path as given. */
    static Node read(Path path) throws FormatException {
        return read(path, true);
    }

    /**
     * @param quote false when the file was named by another file and may be anything: syntax errors then
     *              say where, and what was expected, but never quote what is there
     */
    static Node read(Path path, boolean quote) throws FormatException {
        String name = path.toString();
        return new JsonTree(name, quote).parseDocument(stripByteOrderMark(text(path, name)));
    }

    /** The file's text: a regular file of at most {@link Limits#JSON_BYTES}, in UTF-8. */
    private static String text(Path path, String name) throws FormatException {
        byte[] bytes;
        try {
            bytes = SafeFiles.read(path, Limits.JSON_BYTES);
        } catch (NoSuchFileException e) {
            throw new FormatException(name, 0, 0, "$", "no such file");
        } catch (SafeFiles.Refused e) {
            throw new FormatException(name, 0, 0, "$", e.problem());
        } catch (IOException e) {
            throw new FormatException(name, 0, 0, "$", "cannot read the file: " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(name, 0, 0, "$", "the file is not UTF-8 text", e);
        }
    }

    /** Some Windows editors start UTF-8 files with U+FEFF, which is not JSON. */
    private static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Parses one JSON value, refusing an empty text and anything after the value. */
    static Node parse(String text, String file) throws FormatException {
        return new JsonTree(file, true).parseDocument(text);
    }

    private Node parseDocument(String text) throws FormatException {
        if (text.length() > Limits.JSON_BYTES) {
            throw new FormatException(file, 0, 0, "$", "longer than the limit of " + Limits.bytes(Limits.JSON_BYTES));
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            try {
                if (parser.nextToken() == null) {
                    throw new FormatException(file, 1, 1, "$", "the file is empty (expected a JSON object)");
                }
                Node root = readValue(parser, null, null, 0);
                if (parser.nextToken() != null) {
                    throw at(parser.currentTokenLocation(), "$",
                            "unexpected content after the end of the top-level value (a file holds one JSON object)");
                }
                return root;
            } catch (StreamConstraintsException e) {
                throw beyondLimit(e, parser);
            } catch (StreamReadException e) {
                throw syntaxError(e, parser, text);
            }
        } catch (IOException e) {
            // reading from a String does no I/O; this is here because the parser's API declares it
            throw new FormatException(file, 0, 0, "$", "cannot parse the JSON text", e);
        }
    }

    private Node readValue(JsonParser parser, Node parent, String key, int index)
            throws IOException, FormatException {
        Node.Position at = position(parser.currentTokenLocation());
        if (++values > Limits.JSON_VALUES) {
            throw new FormatException(file, at.line(), at.column(), pathOf(parser.getParsingContext()),
                    "more than " + Limits.count(Limits.JSON_VALUES) + " JSON values (the limit of a file)");
        }
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> readObject(parser, new Node(Node.Kind.OBJECT, file, parent, key, index, at, null));
            case START_ARRAY -> readArray(parser, new Node(Node.Kind.ARRAY, file, parent, key, index, at, null));
            case VALUE_STRING -> new Node(Node.Kind.STRING, file, parent, key, index, at, noNul(parser, at));
            case VALUE_NUMBER_INT ->
                    new Node(Node.Kind.INTEGER, file, parent, key, index, at, parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> new Node(Node.Kind.DECIMAL, file, parent, key, index, at, parser.getText());
            case VALUE_TRUE, VALUE_FALSE ->
                    new Node(Node.Kind.BOOLEAN, file, parent, key, index, at, parser.getBooleanValue());
            case VALUE_NULL -> new Node(Node.Kind.NULL, file, parent, key, index, at, null);
            default -> throw new FormatException(file, at.line(), at.column(), pathOf(parser.getParsingContext()),
                    "unexpected " + token + " (expected a JSON value)");
        };
    }

    private Node readObject(JsonParser parser, Node object) throws IOException, FormatException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            Node.Position keyAt = position(parser.currentTokenLocation());
            String key = noNul(parser, keyAt);
            parser.nextToken();
            object.addField(key, keyAt, readValue(parser, object, key, 0));
        }
        return object;
    }

    private Node readArray(JsonParser parser, Node array) throws IOException, FormatException {
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.addItem(readValue(parser, array, null, index++));
        }
        return array;
    }

    /**
     * The text of a string or key. A NUL character is refused: no name in the formats may hold one, and no
     * shell word or sysfs path can (a driver's name ends up in both).
     */
    private String noNul(JsonParser parser, Node.Position at) throws IOException, FormatException {
        String text = parser.getText();
        if (text.indexOf('\0') >= 0) {
            throw new FormatException(file, at.line(), at.column(), pathOf(parser.getParsingContext()),
                    "a NUL character (\\u0000) in a string: no name or value in the formats may hold one");
        }
        return text;
    }

    /** Jackson's size limits, in the readers' words and with the limit named. */
    private FormatException beyondLimit(StreamConstraintsException e, JsonParser parser) {
        String message = String.valueOf(e.getOriginalMessage());
        String problem;
        if (message.contains("NestingDepth")) {
            problem = "objects and arrays nested deeper than " + Limits.JSON_DEPTH + " levels (the limit)";
        } else if (message.contains("NameLength")) {
            problem = "a key longer than " + Limits.count(Limits.JSON_STRING) + " characters (the limit)";
        } else if (message.contains("StringLength")) {
            problem = "a string longer than " + Limits.count(Limits.JSON_STRING) + " characters (the limit)";
        } else if (message.contains("NumberLength")) {
            problem = "a number longer than " + Limits.JSON_NUMBER_DIGITS + " digits (the limit)";
        } else if (message.contains("DocumentLength")) {
            problem = "longer than the limit of " + Limits.bytes(Limits.JSON_BYTES);
        } else {
            problem = "beyond a size limit of the reader";
        }
        JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        return at(where, pathOf(parser.getParsingContext()), problem);
    }

    private FormatException syntaxError(StreamReadException e, JsonParser parser, String text) {
        String path = pathOf(parser.getParsingContext());
        String original = String.valueOf(e.getOriginalMessage());
        JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        Node.Position pos = position(where);
        if (!quote) { // neither the text nor the keys on the way to it
            return new FormatException(file, pos.line(), pos.column(), "$",
                    "not valid JSON here (expected a JSON object: an iommufx topology)", e);
        }
        String duplicate = duplicateKey(original);
        if (duplicate != null) {
            Node.Position key = keyStart(text, pos, duplicate);
            return new FormatException(file, key.line(), key.column(), path, "duplicate key " + Node.quote(duplicate)
                    + " (each key may appear only once in an object)", e);
        }
        return new FormatException(file, pos.line(), pos.column(), path, "invalid JSON: " + original.replace('\n', ' '),
                e);
    }

    /**
     * The key Jackson reports as given twice: it words this {@code Duplicate Object property "x"} (2.16+) or
     * {@code Duplicate field 'x'} (older); null for other errors.
     */
    private static String duplicateKey(String message) {
        for (String prefix : new String[] {"Duplicate Object property ", "Duplicate field "}) {
            int at = message.indexOf(prefix);
            if (at >= 0 && message.length() > at + prefix.length()) {
                int open = at + prefix.length();
                char q = message.charAt(open);
                int close = message.lastIndexOf(q);
                if ((q == '"' || q == '\'') && close > open) {
                    return message.substring(open + 1, close);
                }
            }
        }
        return null;
    }

    /**
     * Jackson reports a duplicate key just after its closing quote; the user looks for the key itself, so
     * step back over {@code "key"} when the text there is exactly that (it is not when the key has escapes).
     */
    private static Node.Position keyStart(String text, Node.Position after, String key) {
        int lineStart = 0;
        for (int line = 1; line < after.line(); line++) {
            lineStart = text.indexOf('\n', lineStart) + 1;
            if (lineStart == 0) {
                return after;
            }
        }
        String quoted = "\"" + key + "\"";
        int start = lineStart + after.column() - 1 - quoted.length();
        if (start >= lineStart && text.startsWith(quoted, start)) {
            return new Node.Position(after.line(), start - lineStart + 1);
        }
        return after;
    }

    /** The JSON path of where the parser stopped; just "$" when the keys may not be quoted. */
    private String pathOf(JsonStreamContext context) {
        return quote ? pathFrom(context) : "$";
    }

    /** The JSON path of where the parser stopped, from Jackson's nesting contexts. */
    private static String pathFrom(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "$";
        }
        String parent = pathFrom(context.getParent());
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
