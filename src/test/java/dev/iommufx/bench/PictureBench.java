package dev.iommufx.bench;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.layout.ServerMachines;
import dev.iommufx.layout.StructuralLayout;
import dev.iommufx.render.Caption;
import dev.iommufx.render.Palette;
import dev.iommufx.render.Pictures;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The structural layout and the pictures, once the JVM is up: "dgx2" and "vic" are hwloc's DGX-2 and Cisco VIC
 * test files, "spr500" the real 2-socket Sapphire Rapids listing (462 groups, 483 functions), "gen13000" the
 * generated 13,000-function machine. {@code xmlToPng} is what {@code lstopo --input FILE OUT.png} does: read the
 * file, lay it out, draw and encode the PNG (here with the boot of the kernel's groups as well).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PictureBench {
    @Param({"dgx2", "vic", "spr500", "gen13000"})
    String machine;

    private Path xml;
    private Kernel kernel;
    private MachineSnapshot snapshot;
    private MachineLayout picture;
    private Caption caption;
    private Palette palette;

    @Setup
    public void setUp() throws Exception {
        xml = switch (machine) {
            case "dgx2" -> ServerMachines.resourcePath(ServerMachines.DGX2);
            case "vic" -> ServerMachines.resourcePath(ServerMachines.VIC);
            default -> null;
        };
        kernel = switch (machine) {
            case "spr500" -> ServerMachines.sapphireRapids();
            case "gen13000" -> Kernel.boot(TopologyGenerator.generate(13_000));
            default -> Kernel.boot(Importers.open(xml).topology());
        };
        snapshot = MachineSnapshot.of(kernel);
        picture = Pictures.layout(snapshot);
        caption = Caption.of(kernel, "after boot");
        palette = Palette.fromStylesheet();
    }

    @Benchmark
    public MachineLayout layoutOverview() {
        return StructuralLayout.compute(snapshot, StructuralLayout.Options.of(Detail.OVERVIEW));
    }

    @Benchmark
    public MachineLayout layoutCards() {
        return StructuralLayout.compute(snapshot, StructuralLayout.Options.of(Detail.CARDS));
    }

    /** Copying the machine out of the kernel, as the window does before it lays out on another thread. */
    @Benchmark
    public MachineSnapshot snapshot() {
        return MachineSnapshot.of(kernel);
    }

    @Benchmark
    public String svg() {
        return Pictures.svg(picture, caption, palette);
    }

    @Benchmark
    public byte[] png() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(Pictures.png(picture, caption, palette).image(), "png", out);
        return out.toByteArray();
    }

    @Benchmark
    public byte[] xmlToPng() throws Exception {
        if (xml == null) {
            return new byte[0];
        }
        Kernel k = Kernel.boot(Importers.open(xml).topology());
        MachineLayout l = Pictures.layout(MachineSnapshot.of(k));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(Pictures.png(l, Caption.of(k, "after boot"), palette).image(), "png", out);
        return out.toByteArray();
    }
}
