package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.imports.HostileCorpus.Case;
import dev.iommufx.io.imports.HostileCorpus.Expect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input of {@link HostileCorpus} through the CLI, in child JVMs with a {@value #HEAP} heap: exit 2 naming
 * the file and saying where and why, or a clean exit 0/1; never a stack trace, an OutOfMemoryError or a hang.
 * The heap and the time are bounds set on the child JVM (killed when its timeout expires, which fails the
 * test), not timed assertions. Most inputs run through {@link HostileHarness}, many to a JVM; the heaviest
 * also each run alone as {@code java dev.iommufx.Main COMMAND FILE}, the real entry point.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FIFOs, sockets and /dev/zero")
class HostileInputsTest {
    private static final String HEAP = "-Xmx256m";
    private static final int BATCHES = 2;
    private static final long BATCH_TIMEOUT_SECONDS = 300;
    private static final long SINGLE_TIMEOUT_SECONDS = 120;

    @TempDir
    static Path dir;
    private static List<Case> cases;
    private static final Map<String, Path> inputs = new LinkedHashMap<>();
    private static final Map<Process, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void makeInputs() throws IOException {
        cases = HostileCorpus.all();
        for (Case c : cases) {
            Path caseDir = Files.createDirectories(dir.resolve("in").resolve(Integer.toString(inputs.size())));
            inputs.put(c.name(), c.maker().make(caseDir));
        }
    }

    @Test
    void thereAreEnoughDistinctInputs() {
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(new HashSet<>(cases.stream().map(Case::name).toList())).hasSameSizeAs(cases);
        assertThat(cases.stream().filter(Case::heavy).count()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void everyInputThroughTheCliInChildJvms() throws Exception {
        List<Process> children = new ArrayList<>();
        List<Path> results = new ArrayList<>();
        List<Path> progress = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            Path manifest = dir.resolve("manifest-" + b);
            List<String> lines = new ArrayList<>();
            for (int i = b; i < cases.size(); i += BATCHES) {
                Case c = cases.get(i);
                lines.add(c.name() + "\t" + c.command() + "\t" + inputs.get(c.name()));
            }
            Files.write(manifest, lines, StandardCharsets.UTF_8);
            results.add(dir.resolve("results-" + b));
            progress.add(dir.resolve("progress-" + b));
            children.add(java("dev.iommufx.io.imports.HostileHarness", manifest.toString(), results.get(b).toString(),
                    progress.get(b).toString()));
        }
        Map<String, String[]> byName = new LinkedHashMap<>();
        for (int b = 0; b < BATCHES; b++) {
            Process p = children.get(b);
            if (!p.waitFor(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                List<String> started = Files.readAllLines(progress.get(b));
                throw new AssertionError("killed after " + BATCH_TIMEOUT_SECONDS + " s while reading "
                        + started.get(started.size() - 1));
            }
            String log = output(p);
            assertThat(p.exitValue()).as("the harness JVM: %s", log).isZero();
            for (String line : Files.readAllLines(results.get(b), StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                byName.put(f[0], f);
            }
        }
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            String[] f = byName.get(c.name());
            if (f == null) {
                failures.add(c.name() + ": no result");
                continue;
            }
            check(c, Integer.parseInt(f[1]), decode(f[2]), decode(f[3]), Boolean.parseBoolean(f[4]), failures);
        }
        assertThat(failures).as("inputs whose outcome is wrong").isEmpty();
    }

    @Test
    void theHeaviestEachAloneThroughMain() throws Exception {
        List<String> failures = new ArrayList<>();
        List<Case> heavy = cases.stream().filter(Case::heavy).toList();
        for (int i = 0; i < heavy.size(); i += 2) { // two at a time: the machine has two cores
            List<Case> pair = heavy.subList(i, Math.min(i + 2, heavy.size()));
            List<Process> ps = new ArrayList<>();
            for (Case c : pair) {
                ps.add(java("dev.iommufx.Main", c.command(), inputs.get(c.name()).toString()));
            }
            for (int j = 0; j < pair.size(); j++) {
                Case c = pair.get(j);
                Process p = ps.get(j);
                if (!p.waitFor(SINGLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    failures.add(c.name() + ": killed after " + SINGLE_TIMEOUT_SECONDS + " s");
                    continue;
                }
                String all = output(p);
                boolean trace = all.contains("Exception in thread") || all.contains("\tat ")
                        || all.contains("OutOfMemoryError") || all.contains("StackOverflowError");
                check(c, p.exitValue(), all, all, trace, failures);
            }
        }
        assertThat(failures).as("inputs whose outcome is wrong").isEmpty();
    }

    private static void check(Case c, int code, String out, String err, boolean trace, List<String> failures) {
        String all = out + err;
        String shown = c.name() + " (exit " + code + "): " + abbreviate(err.isEmpty() ? out : err);
        if (trace || code < 0) {
            failures.add(shown + " -- a stack trace");
        } else if (c.expect() == Expect.REFUSED && code != 2) {
            failures.add(shown + " -- expected exit 2");
        } else if (c.expect() == Expect.READ && code != 0 && code != 1) {
            failures.add(shown + " -- expected exit 0 or 1");
        } else if (!all.contains(c.fragment())) {
            failures.add(shown + " -- expected to find: " + c.fragment());
        } else if (c.expect() == Expect.REFUSED && !err.contains(inputs.get(c.name()).getFileName().toString())) {
            failures.add(shown + " -- the message does not name the file");
        } else if (!c.secret().isEmpty() && all.contains(c.secret())) {
            failures.add(shown + " -- shows foreign content");
        }
    }

    /** A child JVM whose output goes to a file (a pipe left unread would block it). */
    private static Process java(String main, String... args) throws IOException {
        Path log = Files.createTempFile(dir, "child", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LOGS.put(p, log);
        return p;
    }

    private static String output(Process p) throws IOException {
        return Files.readString(LOGS.get(p), StandardCharsets.UTF_8);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }
}
