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

    /** Reads every element of an array node with {@code reader}. */
    static <T> List<Parsed<T>> each(Node array, String what, ItemReader<T> reader) throws FormatException {
        List<Parsed<T>> out = new ArrayList<>();
        for (Node item : array.array(what)) {
            out.add(reader.read(item));
        }
        return out;
    }

    static <T> List<T> values(List<Parsed<T>> parsed) {
        return parsed.stream().map(Parsed::value).toList();
    }
}
