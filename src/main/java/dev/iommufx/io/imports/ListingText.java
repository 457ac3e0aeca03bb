package dev.iommufx.io.imports;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Pasted text split into lines the way people paste it: LF, CRLF or CR line ends, a byte-order mark, no-break
 * spaces from web pages, trailing blanks. Leading blanks are kept (tree drawings and indented group members
 * need them). {@link #consumed} records which lines some parser recognised; the rest are reported.
 */
final class ListingText {
    final String source;
    final List<String> lines;
    final BitSet consumed = new BitSet();

    ListingText(String text, String source) {
        this.source = source;
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<String> out = new ArrayList<>();
        for (String line : t.split("\r\n|\r|\n", -1)) {
            out.add(line.replace('\u00A0', ' ').stripTrailing());
        }
        this.lines = out;
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
