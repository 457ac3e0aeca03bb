package dev.iommufx.io.imports;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A small reader of tar archives, gzip-compressed or not, with the JDK only: POSIX ustar (with its name
 * prefix), GNU tar ({@code ././@LongLink} entries 'L' and 'K' for long names and link targets) and pax
 * extended headers ('x': {@code path}, {@code linkpath}). Regular files, directories and symbolic links are
 * kept; other entry types are skipped. It never throws for a damaged archive: a truncated gzip stream, a short
 * block or a header with a wrong checksum ends the reading with an {@link ImportNote}, and what was read so
 * far is returned. Format: POSIX.1-2001 {@code pax}/ustar header layout and GNU tar's {@code tar.h}.
 */
final class TarArchive {
    /** One kept entry. {@code type} is '0' (file), '2' (symlink) or '5' (directory). */
    record Entry(String name, char type, byte[] data, String linkTarget) {
    }

    private static final int BLOCK = 512;
    /** Files larger than this are skipped: a sysfs snapshot has nothing near it. */
    static final int MAX_FILE = 1 << 20;
    private static final int MAX_ENTRIES = 500_000;

    private TarArchive() {
    }

    /** Reads a tar stream, gunzipping it first when it starts with the gzip magic. */
    static List<Entry> read(InputStream raw, String source, List<ImportNote> notes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream tar = in;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                tar = new GZIPInputStream(in, 1 << 16);
            } catch (ZipException | EOFException e) {
                notes.add(new ImportNote(source, "not a readable gzip stream: " + e.getMessage()));
                return List.of();
            }
        }
        List<Entry> out = new ArrayList<>();
        try {
            readEntries(tar, source, notes, out);
        } catch (EOFException | ZipException e) {
            notes.add(new ImportNote(source, "the archive ends early (" + e.getMessage() + "): truncated? "
                    + out.size() + " entries read"));
        }
        return out;
    }

    private static void readEntries(InputStream in, String source, List<ImportNote> notes, List<Entry> out)
            throws IOException {
        String longName = null;
        String longLink = null;
        long offset = 0;
        while (out.size() < MAX_ENTRIES) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length == 0) {
                notes.add(new ImportNote(source, "no end-of-archive marker: the archive may be truncated after "
                        + out.size() + " entries"));
                return;
            }
            if (h.length < BLOCK) {
                notes.add(new ImportNote(source, "the archive ends inside a header at byte " + offset
                        + ": truncated; " + out.size() + " entries read"));
                return;
            }
            if (isZero(h)) {
                return;
            }
            long stored = number(h, 148, 8);
            if (stored != checksum(h)) {
                notes.add(new ImportNote(source, "bad tar header checksum at byte " + offset
                        + ": not a tar archive, or damaged; " + out.size() + " entries read"));
                return;
            }
            char type = (char) h[156];
            long size = number(h, 124, 12);
            String name = string(h, 0, 100);
            if (string(h, 257, 6).equals("ustar") && h[262] == 0) { // POSIX ustar: name prefix in 345..500
                String prefix = string(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            String link = string(h, 157, 100);
            offset += BLOCK;
            boolean keep = type == 'L' || type == 'K' || type == 'x' || isFile(type);
            if (size < 0 || (keep && size > MAX_FILE)) {
                notes.add(new ImportNote(source + ":" + name, "entry of " + size + " bytes skipped"));
                keep = false;
            }
            byte[] data = keep ? readData(in, size, source, name, notes) : skipData(in, size, source, name, notes);
            if (data == null) {
                return;
            }
            offset += padded(size);
            switch (type) {
                case 'L' -> longName = string(data, 0, data.length);
                case 'K' -> longLink = string(data, 0, data.length);
                case 'x' -> {
                    for (String[] kv : paxRecords(data)) {
                        if (kv[0].equals("path")) {
                            longName = kv[1];
                        } else if (kv[0].equals("linkpath")) {
                            longLink = kv[1];
                        }
                    }
                }
                case 'g' -> { } // global pax header: nothing we use
                default -> {
                    String n = longName != null ? longName : name;
                    String l = longLink != null ? longLink : link;
                    longName = null;
                    longLink = null;
                    if (isFile(type)) {
                        out.add(new Entry(n, '0', data, null));
                    } else if (type == '2') {
                        out.add(new Entry(n, '2', new byte[0], l));
                    } else if (type == '5') {
                        out.add(new Entry(n, '5', new byte[0], null));
                    } else if (type == '1') {
                        notes.add(new ImportNote(source + ":" + n, "hard link to " + l + " skipped"));
                    }
                }
            }
        }
    }

    private static boolean isFile(char type) {
        return type == '0' || type == 0 || type == '7';
    }

    private static byte[] readData(InputStream in, long size, String source, String name, List<ImportNote> notes)
            throws IOException {
        byte[] data = in.readNBytes((int) size);
        long pad = padded(size) - size;
        if (data.length < size || skip(in, pad) < pad) {
            notes.add(new ImportNote(source + ":" + name, "the archive ends inside this entry: truncated"));
            return null;
        }
        return data;
    }

    private static byte[] skipData(InputStream in, long size, String source, String name, List<ImportNote> notes)
            throws IOException {
        long want = padded(Math.max(size, 0));
        if (skip(in, want) < want) {
            notes.add(new ImportNote(source + ":" + name, "the archive ends inside this entry: truncated"));
            return null;
        }
        return new byte[0];
    }

    /** Reads and drops up to {@code n} bytes; returns how many there were. */
    private static long skip(InputStream in, long n) throws IOException {
        long skipped = 0;
        byte[] buf = new byte[8192];
        while (skipped < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: every byte unsigned, the checksum field itself counted as spaces. */
    private static long checksum(byte[] h) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        return sum;
    }

    /** An octal field, or GNU's base-256 form when the top bit of the first byte is set; -1 if unreadable. */
    private static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                v = v << 8 | (h[off + i] & 0xff);
            }
            return v;
        }
        String s = string(h, off, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** pax records: {@code "<length> <key>=<value>\n"}. */
    private static List<String[]> paxRecords(byte[] data) {
        List<String[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int sp = pos;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return out;
            }
            if (len <= 0 || pos + len > data.length) {
                return out;
            }
            String rec = new String(data, sp + 1, pos + len - sp - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                out.add(new String[] {rec.substring(0, eq), rec.substring(eq + 1)});
            }
            pos += len;
        }
        return out;
    }
}
