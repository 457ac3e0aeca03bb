package dev.iommufx.cli;

import dev.iommufx.io.Printable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Output to a terminal with every control character but line breaks and tabs made visible ({@link Printable}):
 * device and driver names from a stranger's file can hold escape sequences, carriage returns and NULs, and
 * every command prints them, so the escaping happens once, here, for all of them.
 */
final class EscapingWriter extends FilterWriter {
    EscapingWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        out.write(Printable.lines(String.valueOf((char) c)));
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        out.write(Printable.lines(new String(buf, off, len)));
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        out.write(Printable.lines(s.substring(off, off + len)));
    }
}
