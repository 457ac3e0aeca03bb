package dev.iommufx.io.imports;

import dev.iommufx.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Runs many hostile inputs through the CLI in one JVM, the way {@code dev.iommufx.Main} would, and writes
 * one result line per input: {@code name TAB exit TAB base64(stdout) TAB base64(stderr) TAB trace}, where
 * trace says whether the whole output held a stack trace. Before each input
 * it appends its name to a progress file, so that a parent that had to kill this JVM knows which input hung.
 * A {@link Throwable} that escapes the CLI (an OutOfMemoryError, a StackOverflowError...) is written as
 * exit -1 with its stack trace on stderr: the parent fails on it.
 *
 * <p>Arguments: the manifest (lines of {@code name TAB command TAB path}), the results file, the progress file.
 */
public final class HostileHarness {
    private HostileHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> results = new ArrayList<>();
        Path progress = Path.of(args[2]);
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            Files.writeString(progress, f[0] + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND,
                    java.nio.file.StandardOpenOption.CREATE);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream realErr = System.err;
            PrintStream realOut = System.out;
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                System.setOut(o);
                System.setErr(e);
                try {
                    code = new Cli(o, e).run(List.of(f[1], f[2]));
                } catch (Throwable t) {
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    e.print("Exception in thread \"main\" " + trace);
                    code = -1;
                }
            } finally {
                System.setOut(realOut);
                System.setErr(realErr);
            }
            String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            boolean trace = all.contains("Exception in thread") || all.contains("\tat ") || all.contains("Error:")
                    && (all.contains("OutOfMemoryError") || all.contains("StackOverflowError"));
            results.add(f[0] + "\t" + code + "\t" + encode(out) + "\t" + encode(err) + "\t" + trace);
        }
        Files.write(Path.of(args[1]), results, StandardCharsets.UTF_8);
    }

    /** At most the first 64 KiB: enough to judge, and a harness result stays small. */
    private static String encode(ByteArrayOutputStream b) {
        byte[] bytes = b.toByteArray();
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 64 << 10)));
    }
}
