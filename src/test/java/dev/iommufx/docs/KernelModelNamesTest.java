package dev.iommufx.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel model leads to the code: every {@code Class.method} it names (the engine method that carries a rule,
 * the test that checks it) exists, so a newcomer who follows a section never lands on a name that was renamed
 * away.
 */
class KernelModelNamesTest {
    /** `Class.method` inside backticks, as the model writes engine and test names. */
    private static final Pattern NAME = Pattern.compile("`([A-Z][A-Za-z0-9]*)\\.([a-z][A-Za-z0-9]*)`");

    @Test
    void everyClassAndMethodTheModelNamesExists() throws IOException {
        String model = Files.readString(KernelModelCitationsTest.MODEL, StandardCharsets.UTF_8);
        Map<String, String> sources = sources();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        Matcher m = NAME.matcher(model);
        while (m.find()) {
            String cls = m.group(1);
            String member = m.group(2);
            if (cls.equals("Class")) {
                continue; // the model's own explanation of the notation
            }
            String source = sources.get(cls);
            checked++;
            if (source == null) {
                missing.add(cls + "." + member + ": no class " + cls);
            } else if (!Pattern.compile("\\b" + Pattern.quote(member) + "\\b").matcher(source).find()) {
                missing.add(cls + "." + member + ": " + cls + " has no " + member);
            }
        }
        assertThat(checked).as("names checked").isGreaterThan(100);
        assertThat(missing).as("names in docs/kernel-model.md that lead nowhere").isEmpty();
    }

    /** Every Java source of the project, main and test, by class name. */
    private static Map<String, String> sources() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    out.put(p.getFileName().toString().replace(".java", ""), Files.readString(p));
                }
            }
        }
        return out;
    }
}
