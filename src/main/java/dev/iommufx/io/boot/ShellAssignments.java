package dev.iommufx.io.boot;

import dev.iommufx.io.FormatException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variable assignments of a shell-syntax configuration file ({@code etc/default/grub}, {@code dracut.conf},
 * {@code mkinitcpio.conf}, {@code initramfs.conf}): {@code NAME=value}, {@code NAME="value"}, {@code NAME='value'},
 * {@code NAME+=" more"} (appended) and {@code NAME=(a b c)} (an array, kept as its words). Anything else (commands,
 * substitutions) is not run: a value is taken as written.
 */
final class ShellAssignments {
    private ShellAssignments() {
    }

    static Map<String, String> parse(String text, String name) throws FormatException {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigText.Line line : ConfigText.lines(text, name)) {
            String s = line.text();
            int eq = s.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            boolean append = s.charAt(eq - 1) == '+';
            String key = s.substring(0, append ? eq - 1 : eq).strip();
            if (!isName(key)) {
                continue;
            }
            String value = unquote(s.substring(eq + 1).strip());
            out.put(key, append ? (out.getOrDefault(key, "") + " " + value).strip() : value);
        }
        return out;
    }

    private static boolean isName(String key) {
        if (key.isEmpty() || !(Character.isLetter(key.charAt(0)) || key.charAt(0) == '_')) {
            return false;
        }
        return key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
    }

    /** The value without its quotes or array parentheses. */
    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")
                || v.startsWith("(") && v.endsWith(")"))) {
            return v.substring(1, v.length() - 1).strip();
        }
        return v;
    }
}
