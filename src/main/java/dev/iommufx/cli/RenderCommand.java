package dev.iommufx.cli;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.AtomicFiles;
import dev.iommufx.io.FormatException;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.render.Caption;
import dev.iommufx.render.Palette;
import dev.iommufx.render.Pictures;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.ScenarioStart;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code iommufx render FILE -o OUT.png|OUT.svg [--kernel PROFILE] [--boot-state]}: a picture of the machine's
 * groups, laid out by its structure, with the legend; no display needed (headless Java2D for PNG, text for SVG).
 */
@Command(name = "render", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"A picture of the machine's IOMMU groups in their states, laid out by its PCI structure, with"
                + " the legend and the kernel profile named: SVG (text, sharp at any zoom) or PNG (at most "
                + "16 megapixels). A scenario is drawn after its steps, unless --boot-state is given.",
            "No display is needed."})
final class RenderCommand implements Callable<Integer> {
    @ParentCommand
    IommufxCommand parent;
    @Mixin
    MachineFile file;
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.png|OUT.svg",
            description = "the picture to write; its extension chooses the format")
    Path output;

    @Option(names = "--boot-state", description = "draw a scenario's machine as it boots, before its steps")
    boolean bootState;

    @Override
    public Integer call() throws FormatException {
        String name = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + output + "' is neither .png nor .svg (the extension chooses the format)");
        }
        System.setProperty("java.awt.headless", "true");
        Scenario s = file.load(parent.cli.err());
        Kernel k = ScenarioStart.boot(s, s.profile()); // with the scenario's boot configuration, if it has one
        String moment = "after boot";
        if (!bootState && !s.steps().isEmpty()) {
            for (Step step : s.steps()) {
                StepRunner.apply(k, step);
            }
            moment = "after its " + s.steps().size() + " steps";
        }
        MachineLayout layout = Pictures.layout(MachineSnapshot.of(k));
        Caption caption = Caption.of(k, moment);
        try {
            return svg ? writeSvg(layout, caption) : writePng(layout, caption);
        } catch (IOException e) {
            parent.cli.err().println("iommufx render: cannot write " + output + ": " + e.getMessage());
            return Cli.INVALID;
        }
    }

    private int writeSvg(MachineLayout layout, Caption caption) throws IOException {
        byte[] text = Pictures.svg(layout, caption, Palette.fromStylesheet()).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(output, text);
        parent.cli.out().printf("wrote %s: SVG, %d groups as %s%n", output, groups(caption), what(layout));
        return Cli.OK;
    }

    private int writePng(MachineLayout layout, Caption caption) throws IOException {
        Pictures.Png png = Pictures.png(layout, caption, Palette.fromStylesheet());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(png.image(), "png", bytes);
        AtomicFiles.write(output, bytes.toByteArray());
        PrintWriter out = parent.cli.out();
        out.printf("wrote %s: PNG %d × %d px, %d groups as %s%n", output, png.image().getWidth(),
                png.image().getHeight(), groups(caption), what(layout));
        if (png.capped()) {
            parent.cli.err().printf(Locale.ROOT, "iommufx render: note: drawn at %.2f of the legible size to stay "
                    + "within %d megapixels; the SVG (-o %s) is sharp at any zoom%n", png.scale()
                    / Pictures.LEGIBLE_SCALE, Pictures.MAX_PIXELS / 1_000_000, "OUT.svg");
        }
        return Cli.OK;
    }

    private static int groups(Caption c) {
        return c.counts().values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String what(MachineLayout layout) {
        return layout.detail() == MachineLayout.Detail.CARDS ? "cards" : "overview tiles";
    }
}
