package dev.iommufx.io.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Hostile inputs for every reader, made by code (nothing large is committed): each is a file or directory
 * given to one CLI command, with what must come of it. {@link HostileInputsTest} runs them all through the
 * CLI in child JVMs with a small heap and a timeout.
 */
final class HostileCorpus {
    /** What the CLI must do with an input. */
    enum Expect {
        /** Exit 2, naming the file and the place, with the fragment in the message. */
        REFUSED,
        /** Exit 0 or 1: read, and answered (the fragment, when given, is on stdout or stderr). */
        READ
    }

    /** Makes the input under a fresh directory and returns what to give the command. */
    @FunctionalInterface
    interface Maker {
        Path make(Path dir) throws IOException;
    }

    /**
     * @param name     unique, also the file's base name
     * @param command  the CLI command: groups, check or replay
     * @param fragment text the output must hold (the limit named, the kind of file...), or "" for none
     * @param secret   text that must not appear anywhere in the output (foreign content), or ""
     * @param heavy    also run as a real, separate child JVM of {@code dev.iommufx.Main}
     */
    record Case(String name, String command, Expect expect, String fragment, String secret, boolean heavy,
                Maker maker) {
        Case heavyToo() {
            return new Case(name, command, expect, fragment, secret, true, maker);
        }

        Case withSecret(String s) {
            return new Case(name, command, expect, fragment, s, heavy, maker);
        }
    }

    private HostileCorpus() {
    }

    static List<Case> all() {
        List<Case> all = new ArrayList<>();
        all.addAll(HostileJsonCases.cases());
        all.addAll(HostileTextCases.cases());
        all.addAll(HostileTreeCases.cases());
        return all;
    }

    static Case refused(String name, String command, String fragment, Maker maker) {
        return new Case(name, command, Expect.REFUSED, fragment, "", false, maker);
    }

    static Case read(String name, String command, String fragment, Maker maker) {
        return new Case(name, command, Expect.READ, fragment, "", false, maker);
    }

    // ---- helpers the case classes share ----

    static Path text(Path dir, String file, CharSequence content) throws IOException {
        Path p = dir.resolve(file);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    static Path bytes(Path dir, String file, byte[] content) throws IOException {
        Path p = dir.resolve(file);
        Files.write(p, content);
        return p;
    }

    /** Streams tar blocks into a gzip file without holding the archive in memory. */
    static final class GzipTar implements AutoCloseable {
        private final OutputStream out;

        GzipTar(Path file) throws IOException {
            this.out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        }

        OutputStream out() {
            return out;
        }

        /** A header with no data: a directory ('5') or a link ('2'). */
        GzipTar header(String name, char type, String link) throws IOException {
            out.write(new TarWriter().entry(name, type, new byte[0], link, "").unterminated(), 0, 512);
            return this;
        }

        /** A header claiming {@code size} bytes, then that many bytes of {@code fill}. */
        GzipTar data(String name, long size, byte fill) throws IOException {
            byte[] h = new TarWriter().entry(name, '0', new byte[0], "", "").unterminated();
            byte[] sizeField = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(sizeField, 0, h, 124, 11);
            fixChecksum(h);
            out.write(h, 0, 512);
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, fill);
            long left = (size + 511) / 512 * 512;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
            return this;
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[1024]);
            out.close();
        }
    }

    static void fixChecksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += h[i] & 0xff;
        }
        byte[] f = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(f, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }

    /** A FIFO (named pipe), made with mkfifo(1): opening it for reading blocks until a writer comes. */
    static Path fifo(Path p) throws IOException {
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            if (!mk.waitFor(10, TimeUnit.SECONDS) || mk.exitValue() != 0) {
                throw new IOException("mkfifo failed for " + p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return p;
    }

    /** A Unix domain socket file, left behind by a bound and closed server channel. */
    static Path socket(Path p) throws IOException {
        try (java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            s.bind(java.net.UnixDomainSocketAddress.of(p));
        }
        return p;
    }
}
