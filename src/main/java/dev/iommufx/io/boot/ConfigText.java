package dev.iommufx.io.boot;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.SafeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file of the machine's boot, read as a stranger's file is: a regular file only, at most
 * {@link #MAX_BYTES}, at most {@link #MAX_LINES} lines of at most {@link #MAX_LINE} characters; comments and blank
 * lines dropped, a trailing backslash joining a line to the next (as kmod and the shell read them). Each line keeps
 * its number, for messages.
 */
final class ConfigText {
    /** A configuration file, in bytes: real ones are a few hundred. */
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_LINES = 20_000;
    static final int MAX_LINE = 4096;
    /** Files read from one directory (modprobe.d, driverctl.d, ...). */
    static final int MAX_FILES = 1000;

    /** One logical line and where it starts. */
    record Line(int number, String text) {
    }

    private ConfigText() {
    }

    /** The file's text; refuses a special file, a file too large, or one that is not UTF-8. */
    static String read(Path file, String name) throws FormatException {
        try {
            byte[] bytes = SafeFiles.read(file, MAX_BYTES);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FormatException(name, 0, 0, "$", "not UTF-8 text");
        } catch (IOException e) {
            throw new FormatException(name, 0, 0, "$", SafeFiles.reason(e) + " (expected a configuration file of "
                    + "at most " + (MAX_BYTES >> 10) + " KiB)");
        }
    }

    /** Logical lines: comments ({@code #} at the start of a word) dropped, continuations joined, blanks skipped. */
    static List<Line> lines(String text, String name) throws FormatException {
        List<Line> out = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        int number = 0;
        int pos = 0;
        while (pos <= text.length()) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = text.length();
            }
            String raw = text.substring(pos, end);
            number++;
            if (number > MAX_LINES) {
                throw new FormatException(name, number, 1, "$", "more than " + MAX_LINES + " lines");
            }
            if (raw.length() > MAX_LINE) {
                throw new FormatException(name, number, MAX_LINE + 1, "$", "a line longer than " + MAX_LINE
                        + " characters");
            }
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            boolean continues = raw.endsWith("\\");
            String part = continues ? raw.substring(0, raw.length() - 1) : raw;
            if (pending == null) {
                pending = new StringBuilder();
                start = number;
            }
            if (pending.length() + part.length() > MAX_LINE) {
                throw new FormatException(name, start, 1, "$", "a continued line longer than " + MAX_LINE
                        + " characters");
            }
            pending.append(part);
            if (!continues || end == text.length()) {
                String line = stripComment(pending.toString()).strip();
                if (!line.isEmpty()) {
                    out.add(new Line(start, line));
                }
                pending = null;
            }
            pos = end + 1;
        }
        return out;
    }

    /** A {@code #} that starts the line or follows white space begins a comment. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** White-space separated words, in one pass. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int from = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > from) {
                out.add(line.substring(from, i));
            }
        }
        return out;
    }
}
