package dev.iommufx.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a scenario: an operation with its arguments, an optional narration and an optional expectation.
 *
 * @param args        argument values by name: String, Long, or null where the argument allows it
 * @param expectUnder expectations that replace {@code expect} when the step runs under another kernel profile,
 *                    by profile name ("v7-series", "6.1", "newest"); never null
 */
public record Step(StepKind kind, Map<String, Object> args, String note, Expectation expect,
                   Map<String, Expectation> expectUnder) {

    public Step {
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        expectUnder = expectUnder == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(expectUnder));
    }

    public Step(StepKind kind, Map<String, Object> args, String note, Expectation expect) {
        this(kind, args, note, expect, null);
    }

    /** The expectation that holds under the given kernel profile. */
    public Expectation expectFor(String kernel) {
        return expectUnder.getOrDefault(kernel, expect);
    }

    public static Step of(StepKind kind, Object... nameValue) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            Object v = nameValue[i + 1];
            args.put((String) nameValue[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        return new Step(kind, args, null, null);
    }

    public String string(String name) {
        return (String) args.get(name);
    }

    public int integer(String name) {
        return Math.toIntExact((Long) args.get(name));
    }

    public long longArg(String name) {
        return (Long) args.get(name);
    }

    public Step withExpect(Expectation e) {
        return new Step(kind, args, note, e, expectUnder);
    }

    public Step withNote(String n) {
        return new Step(kind, args, n, expect, expectUnder);
    }

    /** "bind device=0000:01:00.0 driver=vfio-pci". */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind.key());
        args.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
