package dev.iommufx.model.boot;

import dev.iommufx.model.DriverSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /etc/modprobe.d/*.conf} as kmod reads it ({@code libkmod-config.c: kmod_config_parse()}, kmod 30): files in
 * name order; {@code options MODULE opt=value...} appended per module; {@code softdep MODULE pre: A B post: C};
 * {@code blacklist MODULE} (stops loading by alias only); {@code install MODULE command} (runs instead of the
 * load). Module names with dashes and underscores alike. Other commands ({@code alias}, {@code remove}) are kept
 * as notes: the simulation does not need them.
 */
public record ModprobeConfig(Map<String, List<String>> options, Map<String, Softdep> softdeps, Set<String> blacklist,
                             Map<String, String> installs, List<String> notes) {
    public static final ModprobeConfig EMPTY = new ModprobeConfig(Map.of(), Map.of(), Set.of(), Map.of(), List.of());

    /** {@code softdep MODULE pre: ... post: ...}. */
    public record Softdep(List<String> pre, List<String> post) {
    }

    /** The options kmod gives a module: every {@code options} line's words, in file order. */
    public List<String> optionsOf(String module) {
        return options.getOrDefault(DriverSpec.moduleName(module), List.of());
    }

    public Softdep softdepOf(String module) {
        return softdeps.get(DriverSpec.moduleName(module));
    }
}
