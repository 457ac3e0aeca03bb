package dev.iommufx.io.boot;

import dev.iommufx.io.FormatException;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.boot.ModprobeConfig;
import dev.iommufx.model.boot.ModprobeConfig.Softdep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code /etc/modprobe.d/*.conf} as kmod does ({@code libkmod-config.c: kmod_config_parse()}, kmod 30): the
 * files in name order, each line one command; an unknown command or a command without its module is an error at
 * its line.
 */
public final class ModprobeConfigReader {
    private ModprobeConfigReader() {
    }

    /** Reads every {@code *.conf} of a directory, in name order. */
    public static ModprobeConfig read(ConfigFiles files, String dir) throws FormatException {
        Builder b = new Builder();
        for (String path : files.list(dir, ".conf")) {
            b.parse(files.read(path), path);
        }
        return b.build();
    }

    /** Parses one file's text (for tests and for text held in memory). */
    public static ModprobeConfig parse(String text, String name) throws FormatException {
        Builder b = new Builder();
        b.parse(text, name);
        return b.build();
    }

    private static final class Builder {
        private final Map<String, List<String>> options = new LinkedHashMap<>();
        private final Map<String, Softdep> softdeps = new LinkedHashMap<>();
        private final Set<String> blacklist = new LinkedHashSet<>();
        private final Map<String, String> installs = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        void parse(String text, String name) throws FormatException {
            for (ConfigText.Line line : ConfigText.lines(text, name)) {
                List<String> w = ConfigText.words(line.text());
                String command = w.get(0);
                if (w.size() < 2 && !command.equals("include")) {
                    throw new FormatException(name, line.number(), 1, "$", "\"" + command + "\" without a module"
                            + " (expected: options, softdep, blacklist, install, alias, remove)");
                }
                if (!command.equals("include") && !isModuleName(w.get(1))) {
                    throw new FormatException(name, line.number(), line.text().indexOf(w.get(1)) + 1, "$", "\""
                            + w.get(1) + "\" is not a module name (letters, digits, - and _)");
                }
                switch (command) {
                    case "options" -> options.computeIfAbsent(module(w.get(1)), m -> new ArrayList<>())
                            .addAll(w.subList(2, w.size()));
                    case "softdep" -> softdeps.put(module(w.get(1)), softdep(w.subList(2, w.size()), name, line));
                    case "blacklist" -> blacklist.add(module(w.get(1)));
                    case "install" -> installs.put(module(w.get(1)), String.join(" ", w.subList(2, w.size())));
                    case "alias", "remove", "include" -> notes.add(name + ":" + line.number() + ": \"" + command
                            + "\" is not simulated");
                    default -> throw new FormatException(name, line.number(), 1, "$", "unknown command \"" + command
                            + "\" (expected: options, softdep, blacklist, install, alias, remove)");
                }
            }
        }

        private static Softdep softdep(List<String> words, String name, ConfigText.Line line) throws FormatException {
            List<String> pre = new ArrayList<>();
            List<String> post = new ArrayList<>();
            List<String> into = null;
            for (String word : words) {
                if (word.equals("pre:")) {
                    into = pre;
                } else if (word.equals("post:")) {
                    into = post;
                } else if (into == null) {
                    throw new FormatException(name, line.number(), 1, "$", "softdep: \"" + word + "\" before pre:"
                            + " or post: (expected: softdep MODULE pre: A B post: C)");
                } else {
                    into.add(module(word));
                }
            }
            if (pre.isEmpty() && post.isEmpty()) {
                throw new FormatException(name, line.number(), 1, "$", "softdep without modules (expected: softdep "
                        + "MODULE pre: A B post: C)");
            }
            return new Softdep(List.copyOf(pre), List.copyOf(post));
        }

        private static boolean isModuleName(String word) {
            return word.length() <= 64 && word.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
                    || c == '_' || c == '-'));
        }

        private static String module(String word) {
            return DriverSpec.moduleName(word);
        }

        ModprobeConfig build() {
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            options.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new ModprobeConfig(Map.copyOf(frozen), Map.copyOf(softdeps), Set.copyOf(blacklist),
                    Map.copyOf(installs), List.copyOf(notes));
        }
    }
}
