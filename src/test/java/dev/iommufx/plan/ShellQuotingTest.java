package dev.iommufx.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two ways untrusted text enters a script: as a single-quoted word, and in a comment. */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "runs the scripts with a POSIX sh")
class ShellQuotingTest {
    private static final List<String> NASTY = List.of(
            "plain", "", "it's", "''", "'\\''", "$(touch PWNED1)", "`touch PWNED2`", "; touch PWNED3",
            "a\ntouch PWNED4", "$HOME", "*", "\"double\" $x ${y} \\n \\", "tab\there", "ünïcødé → —",
            "end with backslash\\", "'; touch PWNED5; '", "\"; touch PWNED6; \"");

    @Test
    void aQuotedWordIsSingleQuotedWithSingleQuotesEscaped() {
        assertThat(ShellScriptExport.quote("vfio-pci")).isEqualTo("'vfio-pci'");
        assertThat(ShellScriptExport.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellScriptExport.quote("")).isEqualTo("''");
        assertThat(ShellScriptExport.quote("$(x)\n`y`")).isEqualTo("'$(x)\n`y`'");
        assertThatThrownBy(() -> ShellScriptExport.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.iommufx.plan.ScriptRun#shells")
    void theShellReadsBackExactlyTheQuotedText(List<String> shell, @TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("touch"), touch());
        StringBuilder script = new StringBuilder();
        for (String s : NASTY) {
            script.append("printf '%s\\0' ").append(ShellScriptExport.quote(s)).append('\n');
        }
        Path file = tmp.resolve("quoted.sh");
        Files.writeString(file, script.toString(), StandardCharsets.UTF_8);
        List<String> command = new java.util.ArrayList<>(shell);
        command.add(file.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", work.toString());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Path out = tmp.resolve("out");
        pb.redirectOutput(out.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String read = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(List.of(read.split("\0", -1)).subList(0, NASTY.size())).containsExactlyElementsOf(NASTY);
        assertThat(ScriptRun.pwned(tmp)).isEmpty();
    }

    @Test
    void aCommentHoldsOneLine() {
        assertThat(ShellScriptExport.comment("GPU\ntouch PWNED4")).isEqualTo("# GPU?touch PWNED4");
        assertThat(ShellScriptExport.comment("a\rb\u2028c\u2029d\u001b[2Je\u202Ef\u0085g\0h"))
                .isEqualTo("# a?b?c?d?[2Je?f?g?h");
        assertThat(ShellScriptExport.comment("")).isEqualTo("#");
        assertThat(ShellScriptExport.comment(null)).isEqualTo("#");
        assertThat(ShellScriptExport.comment("$(x) `y` 'z' \"w\" *")).isEqualTo("# $(x) `y` 'z' \"w\" *");
    }

    static Path touch() {
        for (String candidate : List.of("/usr/bin/touch", "/bin/touch")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("no touch(1) to detect injected commands with");
    }
}
