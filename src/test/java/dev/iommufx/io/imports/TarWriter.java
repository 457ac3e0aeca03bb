package dev.iommufx.io.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds small tar archives for tests: ustar headers, GNU long names, pax headers, damaged blocks. */
final class TarWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TarWriter file(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", "");
    }

    TarWriter dir(String name) {
        return entry(name, '5', new byte[0], "", "");
    }

    TarWriter symlink(String name, String target) {
        return entry(name, '2', new byte[0], target, "");
    }

    /** A GNU 'L' (or 'K' for a link target) entry before a long-named entry. */
    TarWriter gnuLong(char type, String value) {
        return entry("././@LongLink", type, (value + "\0").getBytes(StandardCharsets.UTF_8), "", "");
    }

    /** A pax 'x' header with one record. */
    TarWriter pax(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.length() + 1;
        while (String.valueOf(len).length() + body.length() != len) {
            len = String.valueOf(len).length() + body.length();
        }
        return entry("PaxHeaders/x", 'x', (len + body).getBytes(StandardCharsets.UTF_8), "", "");
    }

    /** A POSIX ustar entry whose name is split into prefix and name. */
    TarWriter ustarSplit(String prefix, String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", prefix);
    }

    TarWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    TarWriter entry(String name, char type, byte[] data, String link, String prefix) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", data.length), 12);
        put(h, 136, "00000000000", 12);
        h[156] = (byte) type;
        put(h, 157, link, 100);
        if (prefix.isEmpty()) {
            put(h, 257, "ustar  ", 8); // GNU magic
        } else {
            put(h, 257, "ustar", 6);
            put(h, 263, "00", 2);
            put(h, 345, prefix, 155);
        }
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return this;
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }

    /** The archive with its end-of-archive marker. */
    byte[] tar() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The entries so far, with no end marker. */
    byte[] unterminated() {
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
