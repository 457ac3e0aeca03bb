package dev.iommufx.scenario;

import dev.iommufx.engine.GroupState;
import java.util.List;
import java.util.Map;

/**
 * What a step expects (all parts optional): the result ("ok", "pending" or an errno name), the drivers
 * of some devices afterwards (null: unbound), the state of some groups, how many WARN_ONs fired, and
 * for {@code vfio_group_status} the flags.
 */
public record Expectation(String result, Map<String, String> drivers, Map<Integer, GroupState> groups,
                          Integer warnings, List<String> flags) {

    public Expectation {
        drivers = drivers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(drivers));
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        flags = flags == null ? null : List.copyOf(flags);
    }

    public boolean isEmpty() {
        return result == null && drivers.isEmpty() && groups.isEmpty() && warnings == null && flags == null;
    }
}
