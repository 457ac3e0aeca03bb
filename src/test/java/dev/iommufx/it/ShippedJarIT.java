package dev.iommufx.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as users run it ({@code java -jar}, which is what {@code ./iommufx} execs): its bundled machines
 * and scenarios are read from inside the jar, by {@code bundled:} name, with no file of the build in reach.
 */
class ShippedJarIT {
    private static final Path JAR = Path.of(System.getProperty("iommufx.jar", "target/iommufx-0.1.0-all.jar"));

    record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(args);
        // run from an empty directory: a relative path into the source tree cannot stand in for the jar
        Path cwd = Files.createTempDirectory("iommufx-it");
        Path out = cwd.resolve("out.txt");
        Path err = cwd.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Every JSON file under topologies/ inside the jar, as a bundled: name. */
    private static List<String> bundledNames() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("topologies/") && n.endsWith(".json"))
                    .map(n -> "bundled:" + n.substring("topologies/".length())).sorted().toList();
        }
    }

    @Test
    void everyBundledFileChecksFromInsideTheJar() throws Exception {
        List<String> names = bundledNames();
        assertThat(names).hasSizeGreaterThan(40).contains("bundled:workstation.json",
                "bundled:scenarios/01-canonical-flow.json", "bundled:scenarios/history/01-eric-auger-v7-warn.json");
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(names);
        Run r = run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("ok: bundled:")).count()).isEqualTo(names.size());
    }

    @Test
    void aBundledScenarioReplaysFromTheJarWithEveryExpectationMet() throws Exception {
        Run r = run(List.of("replay", "bundled:scenarios/01-canonical-flow.json"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("iommu_group_claim_dma_owner -> -EPERM").containsPattern("\\d+ passed, 0 failed");
    }

    @Test
    void theJarDrawsABundledMachineWithNoDisplay() throws Exception {
        Path out = Files.createTempDirectory("iommufx-render");
        Path png = out.resolve("workstation.png");
        Path svg = out.resolve("workstation.svg");
        Run r = run(List.of("render", "bundled:workstation.json", "-o", png.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth() * (long) image.getHeight()).isPositive().isLessThanOrEqualTo(16_000_000L);
        assertThat(r.out()).contains("PNG " + image.getWidth() + " × " + image.getHeight() + " px");
        r = run(List.of("render", "bundled:workstation.json", "--kernel", "newest", "-o", svg.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(svg)).contains("kernel newest", "id=\"group-8\"", "id=\"legend\"");
    }

    @Test
    void theJarKnowsItsVersion() throws Exception {
        Run r = run(List.of("--version"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("iommufx 0.1.0");
    }
}
