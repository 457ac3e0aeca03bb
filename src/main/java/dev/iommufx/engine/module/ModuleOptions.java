package dev.iommufx.engine.module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module's options as {@code modprobe MODULE opt=value ...} passes them: space-separated {@code name=value} words,
 * a later value for the same name replacing an earlier one (the kernel's {@code parse_args()} keeps the last).
 */
public record ModuleOptions(Map<String, String> values) {
    public static final ModuleOptions NONE = new ModuleOptions(Map.of());

    public static ModuleOptions parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String word : text.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            // parse_args(): parameter names match with dashes and underscores alike
            String name = (eq < 0 ? word : word.substring(0, eq)).replace('-', '_');
            out.put(name, eq < 0 ? "" : word.substring(eq + 1));
        }
        return new ModuleOptions(Map.copyOf(out));
    }

    /** The value of an option, or null when it is not given. */
    public String value(String name) {
        return values.get(name);
    }
}
