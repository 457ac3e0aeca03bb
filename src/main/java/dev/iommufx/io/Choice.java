package dev.iommufx.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A closed set of names a file may use for one setting (bus names, PCIe types, group states...) and the
 * values they stand for. Readers and writers share one instance, so what is written can always be read.
 * A name may stand for null ("none" for a group without a default domain).
 *
 * @param <T> the value type
 */
final class Choice<T> {
    private final String what;
    private final Map<String, T> byName;

    private Choice(String what, Map<String, T> byName) {
        this.what = what;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** @param what what the names are, for messages ("bus", "PCIe type") */
    static <T> Choice<T> of(String what, Map<String, T> byName) {
        return new Choice<>(what, new LinkedHashMap<>(byName));
    }

    /** Names in order with their values; a value may be null. */
    static <T> Choice<T> ofPairs(String what, List<String> names, List<T> values) {
        Map<String, T> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), values.get(i));
        }
        return new Choice<>(what, map);
    }

    /** Names that stand for themselves (step results, flags). */
    static Choice<String> ofNames(String what, List<String> names) {
        return ofPairs(what, names, names);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    boolean accepts(String name) {
        return byName.containsKey(name);
    }

    /** The value of a string node, or an error listing the accepted names. */
    T read(Node node) throws FormatException {
        if (node.kind() != Node.Kind.STRING) {
            throw node.error("expected a " + what + " (one of: " + list() + "), found " + node.describe());
        }
        String name = node.string();
        if (!byName.containsKey(name)) {
            throw node.error("unknown " + what + " " + Node.quote(name) + " (expected one of: " + list() + ")");
        }
        return byName.get(name);
    }

    /** The file name of a value (the first name if several stand for it). */
    String nameOf(T value) {
        for (Map.Entry<String, T> e : byName.entrySet()) {
            if (Objects.equals(e.getValue(), value)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no " + what + " name for " + value);
    }

    private String list() {
        return String.join(", ", new ArrayList<>(byName.keySet()));
    }
}
