package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Pasted text split into lines the way people paste it: LF, CRLF or CR line ends, a byte-order mark, no-break
 * spaces from web pages, trailing blanks. Leading blanks are kept (tree drawings and indented group members
 * need them). {@link #consumed} records which lines some parser recognised; the rest are reported.
 * The text is bounded ({@link Limits#TEXT_BYTES}, {@link Limits#LINES} lines of at most
 * {@link Limits#LINE_LENGTH} characters): past a bound it is refused at the line and column where it was
 * crossed. Every importer of text reads its lines through here, and parses each with a {@link LineScanner}.
 */
final class ListingText {
    final String source;
    final List<String> lines;
    final BitSet consumed = new BitSet();

    ListingText(String text, String source) throws ImportException {
        this.source = source;
        if (text.length() > Limits.TEXT_BYTES) {
            throw new ImportException(source, "longer than the limit of " + Limits.bytes(Limits.TEXT_BYTES)
                    + " for a listing");
        }
        this.lines = split(text.startsWith("\uFEFF") ? text.substring(1) : text, source);
    }

    /** One pass over the text; no regular expression. */
    private static List<String> split(String t, String source) throws ImportException {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = t.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? t.charAt(i) : '\n';
            if (c != '\n' && c != '\r') {
                if (i - start >= Limits.LINE_LENGTH) {
                    throw new ImportException(source + ":" + (out.size() + 1) + ":" + (Limits.LINE_LENGTH + 1),
                            "a line longer than " + Limits.count(Limits.LINE_LENGTH) + " characters (the limit)");
                }
                continue;
            }
            if (out.size() >= Limits.LINES) {
                throw new ImportException(source + ":" + (out.size() + 1), "more than " + Limits.count(Limits.LINES)
                        + " lines (the limit)");
            }
            out.add(t.substring(start, i).replace('\u00A0', ' ').stripTrailing());
            if (c == '\r' && i + 1 < n && t.charAt(i + 1) == '\n') {
                i++;
            }
            start = i + 1;
        }
        return out;
    }

    int size() {
        return lines.size();
    }

    String line(int i) {
        return lines.get(i);
    }

    /** {@code source:line} (1-based). */
    String where(int i) {
        return source + ":" + (i + 1);
    }

    /** {@code source:line:column} (1-based). */
    String where(int i, int column) {
        return source + ":" + (i + 1) + ":" + column;
    }

    /** Notes every non-blank line no parser recognised (the first 40, then a count). */
    void noteUnrecognised(TopologyAssembler asm) {
        int count = 0;
        for (int i = 0; i < size(); i++) {
            if (!consumed.get(i) && !line(i).isBlank()) {
                if (++count <= 40) {
                    asm.note(where(i), "line not recognised; skipped: " + abbreviate(line(i).strip()));
                }
            }
        }
        if (count > 40) {
            asm.note(source, (count - 40) + " more lines not recognised; skipped");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
