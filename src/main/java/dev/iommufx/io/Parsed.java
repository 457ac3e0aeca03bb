package dev.iommufx.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A model object read from a JSON object, kept with that object so that checks made later (duplicates,
 * references, cycles) can still point at the offending key.
 *
 * @param <T> the model type
 */
record Parsed<T>(T value, Fields fields) {

    /** Reads one element of an array. */
    @FunctionalInterface
    interface ItemReader<T> {
        Parsed<T> read(Node item) throws FormatException;
    }

    /** The node under a key of the source object (null when absent). */
    Node at(String key) {
        return fields.get(key);
    }

    /**
     * Reads every element of an array node with {@code reader}.
     *
     * @param max  how many elements there may be ({@link Limits})
     * @param unit what the elements are, for the message past the limit ("devices")
     */
    static <T> List<Parsed<T>> each(Node array, String what, int max, String unit, ItemReader<T> reader)
            throws FormatException {
        List<Node> items = array.array(what);
        checkCount(items, max, unit);
        List<Parsed<T>> out = new ArrayList<>();
        for (Node item : items) {
            out.add(reader.read(item));
        }
        return out;
    }

    /** Refuses an array longer than a limit, at its first element past the limit. */
    static void checkCount(List<Node> items, int max, String unit) throws FormatException {
        if (items.size() > max) {
            throw items.get(max).error("more than " + Limits.count(max) + " " + unit + " (the limit)");
        }
    }

    static <T> List<T> values(List<Parsed<T>> parsed) {
        return parsed.stream().map(Parsed::value).toList();
    }
}
