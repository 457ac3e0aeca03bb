package dev.iommufx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers' arrows point inwards: model knows nothing else; engine knows only model; neither imports
 * JavaFX or Jackson; scenario, io and cli never import ui; the structural layout imports neither JavaFX nor AWT
 * (the window and the headless pictures both use it), and the pictures no JavaFX. Checked on the sources' import lines.
 */
class LayeringTest {
    private static final Path SRC = Path.of("src/main/java/dev/iommufx");

    /** For each package, the prefixes its imports must not start with. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "model", List.of("javafx", "com.fasterxml", "org.controlsfx", "dev.iommufx.engine", "dev.iommufx.io",
                    "dev.iommufx.scenario", "dev.iommufx.ui", "dev.iommufx.cli"),
            "engine", List.of("javafx", "com.fasterxml", "org.controlsfx", "dev.iommufx.io", "dev.iommufx.scenario",
                    "dev.iommufx.ui", "dev.iommufx.cli"),
            "scenario", List.of("javafx", "com.fasterxml", "org.controlsfx", "dev.iommufx.io", "dev.iommufx.ui",
                    "dev.iommufx.cli"),
            "io", List.of("javafx", "org.controlsfx", "dev.iommufx.ui", "dev.iommufx.cli", "dev.iommufx.plan"),
            "plan", List.of("javafx", "com.fasterxml", "org.controlsfx", "dev.iommufx.io", "dev.iommufx.ui",
                    "dev.iommufx.cli"),
            "cli", List.of("javafx", "org.controlsfx", "dev.iommufx.ui"),
            "layout", List.of("javafx", "java.awt", "javax.imageio", "com.fasterxml", "org.controlsfx",
                    "dev.iommufx.io", "dev.iommufx.scenario", "dev.iommufx.plan", "dev.iommufx.render", "dev.iommufx.ui",
                    "dev.iommufx.cli"),
            "render", List.of("javafx", "com.fasterxml", "org.controlsfx", "dev.iommufx.scenario", "dev.iommufx.plan",
                    "dev.iommufx.ui", "dev.iommufx.cli"));

    @Test
    void everyLayerImportsOnlyWhatIsBeneathIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> layer : FORBIDDEN.entrySet()) {
            try (Stream<Path> files = Files.walk(SRC.resolve(layer.getKey()))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        String imp = importedName(line);
                        if (imp != null && layer.getValue().stream().anyMatch(imp::startsWith)) {
                            violations.add(file + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckSeesImports() {
        // guards the test itself: a changed import syntax must not make it pass vacuously
        assertThat(importedName("import javafx.scene.Node;")).isEqualTo("javafx.scene.Node");
        assertThat(importedName("import static com.fasterxml.jackson.X.y;")).isEqualTo("com.fasterxml.jackson.X.y");
        assertThat(importedName("// import javafx.x;")).isNull();
    }

    private static String importedName(String line) {
        String t = line.trim();
        if (!t.startsWith("import ")) {
            return null;
        }
        t = t.substring("import ".length()).trim();
        if (t.startsWith("static ")) {
            t = t.substring("static ".length()).trim();
        }
        return t.endsWith(";") ? t.substring(0, t.length() - 1) : t;
    }
}
