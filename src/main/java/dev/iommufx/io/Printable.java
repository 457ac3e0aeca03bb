package dev.iommufx.io;

/**
 * Text from a file made safe to print on a terminal. A device or driver name in a stranger's listing may hold
 * escape sequences (clear the screen, move the cursor, retitle the window), carriage returns that overwrite a
 * line, NULs, or bidirectional overrides that reorder what the user reads; printed raw, they act on the user's
 * terminal. Each such character is shown as a visible escape instead ({@code \e}, {@code \r}, {@code \x00},
 * {@code \u202e}), in one linear pass.
 */
public final class Printable {
    private Printable() {
    }

    /** One value (a name, an id, a path): every control character is escaped, line breaks and tabs too. */
    public static String of(String text) {
        return escape(text, false);
    }

    /** Running text of several lines: line breaks and tabs stay, every other control character is escaped. */
    public static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLayout) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean layout = c == '\n' || c == '\t';
            if (!needsEscape(c) || (keepLayout && layout)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(escaped(c));
        }
        return out == null ? text : out.toString();
    }

    /** C0 and C1 controls, DEL, and the Unicode bidirectional embedding, override and isolate characters. */
    static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    private static String escaped(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x1b -> "\\e";
            default -> c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
        };
    }
}
