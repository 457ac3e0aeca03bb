package dev.iommufx.io.imports;

import java.io.BufferedInputStream;
import dev.iommufx.io.Limits;
import java.io.EOFException;
import java.io.FilterInputStream;
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
 * kept; other entry types are skipped. A damaged archive is read as far as it goes: a truncated gzip stream, a
 * short block or a header with a wrong checksum ends the reading with an {@link ImportNote}, and what was read
 * so far is returned. An archive beyond {@link Limits}' bounds (members, bytes after decompression, bytes kept,
 * path length) is refused with an {@link ImportException} that names the limit, never read in part.
 * Format: POSIX.1-2001 {@code pax}/ustar header layout and GNU tar's {@code tar.h}.
 */
final class TarArchive {
    /** One kept entry. {@code type} is '0' (file), '2' (symlink) or '5' (directory). */
    record Entry(String name, char type, byte[] data, String linkTarget) {
    }

    private static final int BLOCK = 512;
    /** Files larger than this are skipped: a sysfs snapshot has nothing near it. */
    static final int MAX_FILE = Limits.ARCHIVE_MEMBER_BYTES;

    /** Counts the bytes of the tar stream and refuses to go past {@link Limits#ARCHIVE_EXPANDED_BYTES}. */
    private static final class Counted extends FilterInputStream {
        private long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            add(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Limits.ARCHIVE_EXPANDED_BYTES - count + 1));
            add(Math.max(n, 0));
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return 0; // read() does the skipping, so that skipped bytes count
        }

        private void add(int n) throws Expanded {
            count += n;
            if (count > Limits.ARCHIVE_EXPANDED_BYTES) {
                throw new Expanded();
            }
        }
    }

    /** The stream went past {@link Limits#ARCHIVE_EXPANDED_BYTES}. */
    private static final class Expanded extends IOException {
    }

    /** Where the reading is: for the limits on what is kept. */
    private static final class Totals {
        int entries;
        long kept;
    }

    private TarArchive() {
    }

    /**
     * Reads a tar stream, gunzipping it first when it starts with the gzip magic.
     *
     * @throws ImportException when the archive is beyond a limit
     */
    static List<Entry> read(InputStream raw, String source, List<ImportNote> notes) throws IOException, ImportException {
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
                ImportNote.add(notes, new ImportNote(source, "not a readable gzip stream: " + e.getMessage()));
                return List.of();
            }
        }
        List<Entry> out = new ArrayList<>();
        try {
            readEntries(new Counted(tar), source, notes, out);
        } catch (Expanded e) {
            throw new ImportException(source, "more than " + Limits.bytes(Limits.ARCHIVE_EXPANDED_BYTES)
                    + " after decompression (the limit); " + out.size() + " members read", notes, null);
        } catch (EOFException | ZipException e) {
            ImportNote.add(notes, new ImportNote(source, "the archive ends early (" + e.getMessage() + "): truncated? "
                    + out.size() + " entries read"));
        }
        return out;
    }

    private static void readEntries(InputStream in, String source, List<ImportNote> notes, List<Entry> out)
            throws IOException, ImportException {
        String longName = null;
        String longLink = null;
        long offset = 0;
        Totals totals = new Totals();
        while (true) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length == 0) {
                ImportNote.add(notes, new ImportNote(source, "no end-of-archive marker: the archive may be truncated after "
                        + out.size() + " entries"));
                return;
            }
            if (h.length < BLOCK) {
                ImportNote.add(notes, new ImportNote(source, "the archive ends inside a header at byte " + offset
                        + ": truncated; " + out.size() + " entries read"));
                return;
            }
            if (isZero(h)) {
                return;
            }
            long stored = number(h, 148, 8);
            if (stored != checksum(h)) {
                ImportNote.add(notes, new ImportNote(source, "bad tar header checksum at byte " + offset
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
            if (++totals.entries > Limits.ARCHIVE_ENTRIES) {
                throw new ImportException(source + ":" + ListingText.abbreviate(name), "more than "
                        + Limits.count(Limits.ARCHIVE_ENTRIES) + " members (the limit)", notes, null);
            }
            offset += BLOCK;
            boolean keep = type == 'L' || type == 'K' || type == 'x' || isFile(type);
            long headerMax = type == 'x' ? Limits.PAX_HEADER_BYTES : type == 'L' || type == 'K' ? Limits.PATH_BYTES + 1
                    : MAX_FILE;
            if (keep && type != 0 && !isFile(type) && size > headerMax) {
                throw new ImportException(source + ":" + ListingText.abbreviate(name), "a " + (type == 'x'
                        ? "pax header" : "long name") + " of " + size + " bytes (the limit is "
                        + Limits.bytes(type == 'x' ? headerMax : Limits.PATH_BYTES) + ")", notes, null);
            }
            if (size < 0 || (keep && size > MAX_FILE)) {
                ImportNote.add(notes, new ImportNote(source + ":" + name, "entry of " + size + " bytes skipped (the limit for a"
                        + " member is " + Limits.bytes(MAX_FILE) + ")"));
                keep = false;
            }
            if (keep && (totals.kept += size) > Limits.ARCHIVE_KEPT_BYTES) {
                throw new ImportException(source + ":" + ListingText.abbreviate(name), "more than "
                        + Limits.bytes(Limits.ARCHIVE_KEPT_BYTES) + " of files to keep (the limit)", notes, null);
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
                    checkPath(n, source, notes);
                    checkPath(l, source, notes);
                    if ((totals.kept += n.length() + l.length()) > Limits.ARCHIVE_KEPT_BYTES) {
                        throw new ImportException(source + ":" + ListingText.abbreviate(n), "more than "
                                + Limits.bytes(Limits.ARCHIVE_KEPT_BYTES) + " of names and files to keep (the limit)",
                                notes, null);
                    }
                    if (isFile(type)) {
                        out.add(new Entry(n, '0', data, null));
                    } else if (type == '2') {
                        out.add(new Entry(n, '2', new byte[0], l));
                    } else if (type == '5') {
                        out.add(new Entry(n, '5', new byte[0], null));
                    } else if (type == '1') {
                        ImportNote.add(notes, new ImportNote(source + ":" + n, "hard link to " + l + " skipped"));
                    }
                }
            }
        }
    }

    /** A member's path or link target may be as long as Linux allows a path, {@link Limits#PATH_BYTES}. */
    private static void checkPath(String path, String source, List<ImportNote> notes) throws ImportException {
        if (path.length() > Limits.PATH_BYTES) {
            throw new ImportException(source + ":" + ListingText.abbreviate(path), "a path of " + path.length()
                    + " characters (the limit is " + Limits.count(Limits.PATH_BYTES) + ")", notes, null);
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
            ImportNote.add(notes, new ImportNote(source + ":" + name, "the archive ends inside this entry: truncated"));
            return null;
        }
        return data;
    }

    private static byte[] skipData(InputStream in, long size, String source, String name, List<ImportNote> notes)
            throws IOException {
        long want = padded(Math.max(size, 0));
        if (skip(in, want) < want) {
            ImportNote.add(notes, new ImportNote(source + ":" + name, "the archive ends inside this entry: truncated"));
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
            if (len < sp - pos + 2 || len > data.length - pos) { // "<length> " and "\n" at least
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
