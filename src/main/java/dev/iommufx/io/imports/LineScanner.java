package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.model.Bdf;

/**
 * A cursor over one line of untrusted text, for parsers that must run in time linear in the line: every
 * method looks at each character at most once and never backtracks, unlike a regular expression with
 * neighbouring or nested repetitions (a line of a million spaces or dashes takes a backtracking pattern
 * hours). A method that does not find what it looks for leaves the cursor where it was.
 */
final class LineScanner {
    private final String line;
    private int pos;

    LineScanner(String line) {
        this.line = line;
    }

    /** 0-based position. */
    int pos() {
        return pos;
    }

    /** 1-based column of the cursor, for messages. */
    int column() {
        return pos + 1;
    }

    void moveTo(int position) {
        pos = Math.max(0, Math.min(position, line.length()));
    }

    boolean atEnd() {
        return pos >= line.length();
    }

    /** The character at the cursor, or 0 at the end. */
    char peek() {
        return atEnd() ? 0 : line.charAt(pos);
    }

    /** Skips white space; returns how much. */
    int skipSpaces() {
        int start = pos;
        while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
            pos++;
        }
        return pos - start;
    }

    /** Skips characters from a set; returns how many. */
    int skipAll(String chars) {
        int start = pos;
        while (pos < line.length() && chars.indexOf(line.charAt(pos)) >= 0) {
            pos++;
        }
        return pos - start;
    }

    boolean skip(char c) {
        if (peek() == c && !atEnd()) {
            pos++;
            return true;
        }
        return false;
    }

    /** Skips a word if it is there, ignoring case. */
    boolean skipIgnoreCase(String word) {
        if (line.regionMatches(true, pos, word, 0, word.length())) {
            pos += word.length();
            return true;
        }
        return false;
    }

    /** Decimal digits (all of them); -1 when there are none, {@link Long#MAX_VALUE} when there are too many. */
    long decimal() {
        int start = pos;
        long value = 0;
        while (pos < line.length() && line.charAt(pos) >= '0' && line.charAt(pos) <= '9') {
            value = value > Long.MAX_VALUE / 20 ? Long.MAX_VALUE : value * 10 + (line.charAt(pos) - '0');
            pos++;
        }
        return pos == start ? -1 : value;
    }

    /** Exactly {@code min} to {@code max} hex digits (no more may follow); -1 and not moved otherwise. */
    int hex(int min, int max) {
        int n = hexDigitsAt(line, pos, max + 1);
        if (n < min || n > max) {
            return -1;
        }
        int value = Integer.parseInt(line, pos, pos + n, 16);
        pos += n;
        return value;
    }

    /**
     * A PCI address {@code [DDDD:]BB:DD.F} (the domain 4 or 5 hex digits) at the cursor; null and not moved when
     * there is none or a number is out of range.
     */
    Bdf address() {
        int start = pos;
        int first = hex(2, 5);
        if (first < 0 || !skip(':')) {
            pos = start;
            return null;
        }
        int domain = 0;
        int bus = first;
        if (pos - start - 1 >= 4) { // DDDD: then BB:
            domain = first;
            bus = hex(2, 2);
            if (bus < 0 || !skip(':')) {
                pos = start;
                return null;
            }
        } else if (pos - start - 1 != 2) {
            pos = start;
            return null;
        }
        int slot = hex(2, 2);
        int function = skip('.') ? digit07() : -1;
        Bdf bdf = slot < 0 || function < 0 ? null : Bdf.ofOrNull(domain, bus, slot, function);
        if (bdf == null) {
            pos = start;
        }
        return bdf;
    }

    private int digit07() {
        char c = peek();
        if (c >= '0' && c <= '7' && !atEnd()) {
            pos++;
            return c - '0';
        }
        return -1;
    }

    /** The rest of the line from the cursor. */
    String rest() {
        return line.substring(pos);
    }

    /** How many hex digits start at {@code from}, counting at most {@code max}. */
    static int hexDigitsAt(String s, int from, int max) {
        int n = 0;
        while (n < max && from + n < s.length() && Character.digit(s.charAt(from + n), 16) >= 0
                && s.charAt(from + n) < 128) {
            n++;
        }
        return n;
    }

    /** True when {@code s} holds exactly {@code digits} hex digits from {@code from} on, and then {@code end}. */
    static boolean hexThen(String s, int from, int digits, char end) {
        return hexDigitsAt(s, from, digits) == digits && from + digits < s.length() && s.charAt(from + digits) == end;
    }

    /** A group number (0 to {@link Limits#GROUP_NUMBER}) in decimal, or null. */
    static Integer groupNumber(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.isEmpty() || t.length() > 7) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return null;
            }
        }
        int n = Integer.parseInt(t);
        return n <= Limits.GROUP_NUMBER ? n : null;
    }

    /** What a group number must be, for notes. */
    static String groupNumberExpected() {
        return "expected a group number from 0 to " + Limits.GROUP_NUMBER;
    }
}
