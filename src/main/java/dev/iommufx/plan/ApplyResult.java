package dev.iommufx.plan;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.OpResult;
import java.util.List;
import java.util.Map;

/**
 * What applying a plan to the simulator did.
 *
 * @param results              the operations run, in order; the last one is the refused one if any was refused
 * @param groups               the state of every planned group afterwards
 * @param everyGroupUserClaimed every step succeeded and every planned group is {@link GroupState#USER_CLAIMED}
 */
public record ApplyResult(List<OpResult> results, Map<Integer, GroupState> groups, boolean everyGroupUserClaimed) {
    public ApplyResult {
        results = List.copyOf(results);
        groups = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(groups));
    }

    /** The refused operation, or null when none was. */
    public OpResult failure() {
        return results.stream().filter(r -> !r.ok()).findFirst().orElse(null);
    }
}
