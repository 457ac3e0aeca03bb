package dev.iommufx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render} and {@code groups --format listing}: what they write, and how they refuse. */
class RenderCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    /** The workstation's GPU and its audio given to a VFIO container: group 8 ends blocked. */
    private static String claimScenario() {
        StringBuilder steps = new StringBuilder();
        for (String fn : List.of("0000:01:00.0", "0000:01:00.1")) {
            steps.append("{\"do\": \"driver_override\", \"device\": \"").append(fn).append("\", \"driver\": \"vfio-pci\"},")
                    .append("{\"do\": \"unbind\", \"device\": \"").append(fn).append("\"},")
                    .append("{\"do\": \"bind\", \"device\": \"").append(fn).append("\", \"driver\": \"vfio-pci\"},");
        }
        steps.append("{\"do\": \"vfio_open_container\", \"handle\": \"C\"},")
                .append("{\"do\": \"vfio_open_group\", \"group\": 8, \"handle\": \"G\"},")
                .append("{\"do\": \"vfio_set_container\", \"handle\": \"G\", \"container\": \"C\"}");
        return "{\"format\": \"iommufx-scenario/1\", \"title\": \"claim\", \"topology\": \""
                + Path.of("topologies/workstation.json").toAbsolutePath() + "\", \"steps\": [" + steps + "]}";
    }

    @Test
    void aScenarioIsDrawnAfterItsStepsUnlessTheBootStateIsAskedFor(@TempDir Path tmp) throws Exception {
        Path after = tmp.resolve("after.svg");
        Path boot = tmp.resolve("boot.svg");
        String scenario = Files.writeString(tmp.resolve("claim.json"), claimScenario()).toString();
        assertThat(cli.run(List.of("render", scenario, "-o", after.toString()))).as(err.toString()).isZero();
        assertThat(cli.run(List.of("render", scenario, "--boot-state", "-o", boot.toString()))).isZero();
        assertThat(Files.readString(after)).contains("after its 9 steps", "<g id=\"group-8\" class=\"tile blocked\">");
        assertThat(Files.readString(boot)).contains("after boot", "<g id=\"group-8\" class=\"tile dma-api-owned\">");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + after + ": SVG");
    }

    @Test
    void aPngUnderAnotherKernelNamesIt(@TempDir Path tmp) throws Exception {
        Path png = tmp.resolve("w.PNG");
        assertThat(cli.run(List.of("render", "bundled:workstation.json", "--kernel", "newest", "--output",
                png.toString()))).as(err.toString()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(900);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("PNG " + image.getWidth() + " × " + image.getHeight());
        Path svg = tmp.resolve("w.svg");
        assertThat(cli.run(List.of("render", "bundled:workstation.json", "--kernel=newest", "-o", svg.toString())))
                .isZero();
        assertThat(Files.readString(svg)).contains("kernel newest");
    }

    @Test
    void anUnknownFormatOrAnUnwritablePlaceIsRefusedWithExitTwo(@TempDir Path tmp) {
        assertThat(cli.run(List.of("render", "bundled:workstation.json", "-o", tmp.resolve("x.jpg").toString())))
                .isEqualTo(Cli.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("neither .png nor .svg");
        assertThat(cli.run(List.of("render", "bundled:workstation.json", "-o",
                tmp.resolve("missing/dir/x.svg").toString()))).isEqualTo(Cli.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot write");
        assertThat(cli.run(List.of("render", "bundled:workstation.json"))).isEqualTo(Cli.INVALID);
        assertThat(tmp.toFile().list()).as("nothing written").isEmpty();
    }

    @Test
    void groupsWritesTheForumListing() {
        assertThat(cli.run(List.of("groups", "bundled:workstation.json", "--format", "listing"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("IOMMU Group 0:\n\t00:00.0 Host bridge [0600]")
                .contains("\tKernel driver in use: nouveau\n").doesNotContain("owner_cnt");
        assertThat(cli.run(List.of("groups", "bundled:workstation.json", "--format", "xml"))).isEqualTo(Cli.INVALID);
    }
}
