package dev.iommufx.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The writers' JSON layout, close to how people write these files by hand: a value that fits on its line
 * stays on one line ({@code "classes": ["0604"]}, {@code {"id": 1}}); a longer object or array, and every
 * list of objects, puts one entry per line, indented by two spaces. Jackson writes the scalars.
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int WIDTH = 100;
    private static final String INDENT = "  ";

    private JsonOutput() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The text of a tree, ending with a newline; keys stay in insertion order. */
    static String pretty(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, 0, 0, out);
        return out.append('\n').toString();
    }

    /** @param used how many characters the line already holds before this value */
    private static void write(JsonNode node, int depth, int used, StringBuilder out) {
        String flat = flat(node);
        if (!node.isContainerNode() || node.isEmpty() || fitsOnOneLine(node, depth, used + flat.length())) {
            out.append(flat);
            return;
        }
        String inner = INDENT.repeat(depth + 1);
        List<String> entries = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                StringBuilder entry = new StringBuilder(inner).append(scalar(field.getKey())).append(": ");
                write(field.getValue(), depth + 1, entry.length(), entry);
                entries.add(entry.toString());
            }
        } else {
            for (JsonNode item : node) {
                StringBuilder entry = new StringBuilder(inner);
                write(item, depth + 1, entry.length(), entry);
                entries.add(entry.toString());
            }
        }
        out.append(node.isObject() ? "{\n" : "[\n").append(String.join(",\n", entries)).append('\n')
                .append(INDENT.repeat(depth)).append(node.isObject() ? '}' : ']');
    }

    /**
     * The document itself and lists of objects (devices, drivers, steps) always get one entry per line, so
     * that a change to one entry is a change to one line; anything else stays on one line if it fits.
     */
    private static boolean fitsOnOneLine(JsonNode node, int depth, int width) {
        boolean listOfObjects = node.isArray() && node.get(0).isContainerNode();
        return depth > 0 && !listOfObjects && width <= WIDTH;
    }

    /** One-line form: {@code {"id": 1, "defaultDomain": "none"}}. */
    private static String flat(JsonNode node) {
        if (node.isObject()) {
            List<String> parts = new ArrayList<>();
            node.fields().forEachRemaining(f -> parts.add(scalar(f.getKey()) + ": " + flat(f.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(item -> parts.add(flat(item)));
            return "[" + String.join(", ", parts) + "]";
        }
        return scalar(node);
    }

    private static String scalar(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // strings, numbers, booleans and null always serialise
            throw new UncheckedIOException(e);
        }
    }
}
