package dev.iommufx.bench;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.io.TopologyWriter;
import dev.iommufx.model.Topology;
import dev.iommufx.ui.graph.GraphLayout;
import dev.iommufx.ui.viewmodel.TreeSnapshot;
import java.util.concurrent.TimeUnit;
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
 * From a topology file's text to the positions of every node: read and validate the JSON, boot the kernel
 * (groups, drivers), copy the tree, and run the tidy-tree layout — what the window does, off the JavaFX
 * thread, before drawing a machine. "1000" has SR-IOV (4 NICs with 62 VFs each).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ImportLayoutBench {
    @Param({"40", "500", "1000", "13000"})
    int functions;

    private String json;

    @Setup
    public void setUp() {
        Topology t = functions == 1000 ? SriovMachines.generate(1000, 4, 62) : TopologyGenerator.generate(functions);
        json = TopologyWriter.toJson(t);
    }

    @Benchmark
    public GraphLayout importAndLayout() throws Exception {
        Topology t = TopologyReader.parse(json, "generated.json");
        Kernel k = Kernel.boot(t, 0);
        return GraphLayout.compute(TreeSnapshot.of(k));
    }
}
