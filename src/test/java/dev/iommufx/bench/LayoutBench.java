package dev.iommufx.bench;

import dev.iommufx.ui.layout.TidyTreeLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@link TidyTreeLayout#layout} (ms per layout) of trees shaped like PCI machines of 1,000, 13,000
 * and 100,000 nodes, generated here from a fixed seed ({@link #machine}): a host root, a few root buses, root
 * ports on them, switches fanning out (sometimes nested) below some ports, and endpoint devices with 1 to 8
 * functions each. Node sizes are those of one- to three-line labels. The tree is built once per trial; only the
 * layout is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LayoutBench {
    /** Gap between neighbouring boxes on a level, in pixels. */
    static final double GAP = 6;

    @Param({"1000", "13000", "100000"})
    public int nodes;

    int root;
    int[][] children;
    double[] size;

    @Setup(Level.Trial)
    public void setUp() {
        Machine m = machine(nodes, 0x10_11_fa11L);
        root = m.root;
        children = m.children;
        size = m.size;
        double[] x = TidyTreeLayout.layout(root, children, size, GAP); // also checks that it is a tree
        if (x.length != nodes || Arrays.stream(x).anyMatch(Double::isNaN)) {
            throw new IllegalStateException("the generated machine does not have " + nodes + " nodes in one tree");
        }
    }

    @Benchmark
    public double[] layout() {
        return TidyTreeLayout.layout(root, children, size, GAP);
    }

    /** A generated tree: node 0 is the root; children in drawing order; sizes along the breadth axis. */
    record Machine(int root, int[][] children, double[] size) {
    }

    /**
     * A PCI-shaped tree of exactly {@code nodes} nodes: a root bus per 2,000 nodes (2 to 16), root ports
     * dealt round-robin to them, each port holding a switch (40 %) or an endpoint; a switch is an upstream port
     * with 2 to 8 downstream ports, each holding a nested switch (20 %, at most 3 deep) or an endpoint; an endpoint
     * is a device with 1 to 8 functions, mostly 1 or 2. Generation stops as soon as the count is reached.
     */
    static Machine machine(int nodes, long seed) {
        Builder b = new Builder(nodes, new Random(seed));
        int host = b.add(-1, 40);
        int buses = Math.max(2, Math.min(16, nodes / 2_000));
        int[] bus = new int[buses];
        for (int i = 0; i < buses; i++) {
            bus[i] = b.add(host, b.label());
        }
        for (int i = 0; !b.full(); i++) {
            int port = b.add(bus[i % buses], b.label());
            if (b.rnd.nextInt(10) < 4) {
                b.switchBelow(port, 1);
            } else {
                b.endpoint(port);
            }
        }
        return b.build();
    }

    /** Grows a tree up to a node budget. */
    private static final class Builder {
        final int budget;
        final Random rnd;
        final List<List<Integer>> kids = new ArrayList<>();
        final List<Double> sizes = new ArrayList<>();

        Builder(int budget, Random rnd) {
            this.budget = budget;
            this.rnd = rnd;
        }

        boolean full() {
            return kids.size() >= budget;
        }

        /** Adds a node of the given size under parent (-1 for the root); returns it, or -1 if full. */
        int add(int parent, double size) {
            if (full()) {
                return -1;
            }
            int v = kids.size();
            kids.add(new ArrayList<>());
            sizes.add(size);
            if (parent >= 0) {
                kids.get(parent).add(v);
            }
            return v;
        }

        /** The height of a label of one to three lines. */
        double label() {
            int lines = rnd.nextInt(10) < 7 ? 1 : rnd.nextInt(10) < 8 ? 2 : 3;
            return 8 + 16 * lines;
        }

        void switchBelow(int port, int depth) {
            int upstream = add(port, label());
            if (upstream < 0) {
                return;
            }
            for (int d = 2 + rnd.nextInt(7); d > 0 && !full(); d--) {
                int down = add(upstream, label());
                if (down >= 0 && depth < 3 && rnd.nextInt(10) < 2) {
                    switchBelow(down, depth + 1);
                } else if (down >= 0) {
                    endpoint(down);
                }
            }
        }

        void endpoint(int port) {
            int device = add(port, label());
            int functions = rnd.nextInt(10) < 6 ? 1 + rnd.nextInt(2) : 1 + rnd.nextInt(8);
            for (int f = 0; f < functions && device >= 0 && !full(); f++) {
                add(device, label());
            }
        }

        Machine build() {
            int n = kids.size();
            int[][] children = new int[n][];
            double[] size = new double[n];
            for (int v = 0; v < n; v++) {
                children[v] = kids.get(v).stream().mapToInt(Integer::intValue).toArray();
                size[v] = sizes.get(v);
            }
            return new Machine(0, children, size);
        }
    }
}
