package dev.iommufx.bench;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Errno;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Invariants;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.OpResult;
import dev.iommufx.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one engine operation on generated machines of 1,000, 10,000 and 100,000 PCI functions
 * ({@link TopologyGenerator}), booted with the undo history off. Every benchmark runs a cycle of operations
 * that leaves the machine as it found it, on a different device or group each invocation (a shuffled pool
 * spanning the whole machine), so that iterations do not drift and the cost is not that of one cache-hot device.
 * Scores are per kernel operation ({@link OperationsPerInvocation}): each benchmark exists in average-time
 * mode (ns/op) and, with the suffix {@code Throughput}, in throughput mode (ops/s).
 * The {@code pool} parameter sets the work: {@code -1} visits as many devices or groups as the 1,000-device
 * machine has, spread over the larger machines (the same work on every size: the measure of the size target);
 * {@code 0} visits every eligible one (on 100,000 devices their state no longer fits in the CPU caches).
 * The fork backs its heap with transparent huge pages where the OS allows it, so that random accesses over a large
 * machine cost cache misses, not also a page walk each.
 *
 * <ul>
 *   <li>{@code rebind}: {@code unbind} then {@code bind} back of an endpoint bound to its DMA-API driver
 *       (2 operations: DMA-API ownership given back and taken again).</li>
 *   <li>{@code passthrough}: the whole VFIO passthrough of a GPU and its HDMI audio function (one group of two)
 *       and back: 20 operations, listed in {@link #passthroughCycle}.</li>
 *   <li>{@code refusedBind}: {@code bind} of the audio function to its kernel driver while VFIO user space owns
 *       the group: refused with EBUSY in {@code iommu_device_use_default_domain()} and unwound (1 operation).</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
public class EngineBench {

    /** Operations in one {@link #passthroughCycle}. */
    static final int PASSTHROUGH_OPS = 20;

    // --- the machines --------------------------------------------------------------------------

    /** Boots the generated machine of {@code size} devices with history off and checks it. */
    static Kernel boot(int size) {
        Topology t = TopologyGenerator.generate(size);
        Kernel k = Kernel.boot(t, 0);
        check(k.devices().size() == size, "booted " + k.devices().size() + " devices, not " + size);
        check(k.groups().size() == t.groups().size(), "booted " + k.groups().size() + " groups, not "
                + t.groups().size());
        List<String> bad = Invariants.check(k);
        check(bad.isEmpty(), "the booted machine breaks invariants: " + bad);
        return k;
    }

    /**
     * Moves the booted machine out of the young generation before measuring: otherwise the first collections of
     * the measurement copy the whole booted machine, and on 100,000 devices warm-up does not converge.
     */
    static void settle() {
        System.gc();
        System.gc();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    static void expect(OpResult r, Errno errno) {
        check(r.errno() == errno, r.operation() + " returned " + r.resultLabel() + ", expected " + errno.label()
                + (r.cause() == null ? "" : ": " + r.cause()));
    }

    /** Endpoints bound to a DMA-API driver, in enumeration order. */
    static List<Device> dmaApiEndpoints(Kernel k) {
        List<Device> eligible = new ArrayList<>();
        for (Device d : k.devices()) {
            if (d.driver() != null && !d.driver().driverManagedDma()) {
                eligible.add(d);
            }
        }
        return eligible;
    }

    /** GPU + HDMI audio pairs (two-function groups bound to DMA-API drivers), in enumeration order. */
    static List<Device[]> gpuPairs(Kernel k) {
        List<Device[]> pairs = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            List<Device> ds = g.devices();
            if (ds.size() == 2 && TopologyGenerator.GPU_NAME.equals(ds.get(0).spec().name())
                    && TopologyGenerator.GPU_AUDIO_NAME.equals(ds.get(1).spec().name())
                    && ds.get(0).driver() != null && ds.get(1).driver() != null) {
                pairs.add(new Device[] {ds.get(0), ds.get(1)});
            }
        }
        return pairs;
    }

    static <T> void shuffle(List<T> list) {
        java.util.Collections.shuffle(list, new Random(42));
    }

    /** What a device and its group look like; compared before and after a trial. */
    static String describe(Device d) {
        IommuGroup g = d.group();
        return d.id() + " driver=" + (d.driver() == null ? null : d.driver().name()) + " override="
                + d.driverOverride() + " group=" + g.id() + " owner_cnt=" + g.ownerCount() + " owner=" + g.owner()
                + " on_default=" + (g.domain() == g.defaultDomain()) + " vfio=" + (g.vfioGroup() != null)
                + " open=" + d.openVfioHandles();
    }

    /** Fails the trial unless the machine is as it was when the trial started. */
    static void checkUnchanged(Kernel k, List<Device> sample, List<String> before) {
        for (int i = 0; i < sample.size(); i++) {
            String now = describe(sample.get(i));
            check(now.equals(before.get(i)), "the machine drifted: " + before.get(i) + " is now " + now);
        }
        List<String> bad = Invariants.check(k);
        check(bad.isEmpty(), "invariants broken after the trial: " + bad);
    }

    /**
     * What every benchmark's state has: the machine (booted per trial, optionally without call paths), the cycle
     * through its shuffled pool, and the devices whose state must be the same after the trial as before it.
     */
    @State(Scope.Thread)
    public abstract static class MachineState {
        @Param({"1000", "10000", "100000"})
        public int size;

        /**
         * How many devices or groups the cycle visits: 0 for every eligible one of this machine; -1 for as many as
         * the 1,000-device machine has, so that every size does the same work, spread over a larger machine;
         * n for n of them.
         */
        @Param({"-1", "0"})
        public int pool;

        /** false: the operations record no call path ({@code Kernel.recordCallPaths}), as bulk callers run them. */
        @Param({"false", "true"})
        public boolean callPaths;

        /** The cycle visits entries 0 .. cycle-1 of the shuffled pool. */
        int cycle;
        int next;
        Kernel k;
        List<Device> sample;
        List<String> before;

        void bootMachine() {
            k = boot(size);
            k.recordCallPaths(callPaths);
        }

        /** Boots the machine and returns its GPU + audio pairs, shuffled. */
        List<Device[]> bootWithShuffledGpuPairs() {
            bootMachine();
            List<Device[]> pairs = gpuPairs(k);
            check(!pairs.isEmpty(), "no GPU + audio group");
            shuffle(pairs);
            return pairs;
        }

        /** The cycle's length for a machine with {@code eligible} entries; {@code eligibleOf} counts them. */
        int cycleLength(int eligible, ToIntFunction<Kernel> eligibleOf) {
            check(pool >= -1, "pool must be -1 (the same work), 0 (the whole machine) or a count, not " + pool);
            if (pool == -1) {
                int sameWork = eligibleOf.applyAsInt(boot(1000));
                check(sameWork <= eligible, "the 1,000-device machine has more entries than this one");
                return sameWork;
            }
            return pool > 0 ? Math.min(pool, eligible) : eligible;
        }

        /** The pool entry to visit now; the cycle wraps around. */
        int advance() {
            int i = next;
            next = i + 1 == cycle ? 0 : i + 1;
            return i;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkUnchanged(k, sample, before);
        }
    }

    // --- (a) unbind + bind back ---------------------------------------------------------------

    @State(Scope.Thread)
    public static class RebindState extends MachineState {
        String[] ids;
        String[] drivers;

        @Setup(Level.Trial)
        public void setUp() {
            bootMachine();
            List<Device> eligible = dmaApiEndpoints(k);
            check(eligible.size() > size / 3, "only " + eligible.size() + " endpoints bound to DMA-API drivers");
            shuffle(eligible);
            ids = new String[eligible.size()];
            drivers = new String[eligible.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = eligible.get(i).id();
                drivers[i] = eligible.get(i).driver().name();
            }
            sample = eligible;
            cycle = cycleLength(ids.length, m -> dmaApiEndpoints(m).size());
            before = eligible.stream().map(EngineBench::describe).toList();
            for (int i = 0; i < ids.length; i++) { // one checked round over the whole pool
                expect(k.unbind(ids[i]), Errno.OK);
                expect(k.bind(ids[i], drivers[i]), Errno.OK);
            }
            checkUnchanged(k, sample, before);
            settle();
        }
    }

    static void nextRebind(RebindState s, Blackhole bh) {
        int i = s.advance();
        String id = s.ids[i];
        bh.consume(s.k.unbind(id));
        bh.consume(s.k.bind(id, s.drivers[i]));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(2)
    public void rebind(RebindState s, Blackhole bh) {
        nextRebind(s, bh);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2)
    public void rebindThroughput(RebindState s, Blackhole bh) {
        nextRebind(s, bh);
    }

    // --- (b) the passthrough cycle of a two-function group -------------------------------------

    @State(Scope.Thread)
    public static class PassthroughState extends MachineState {
        String[] gpus;
        String[] audios;
        String[] gpuDrivers;
        String[] audioDrivers;
        int[] groups;

        @Setup(Level.Trial)
        public void setUp() {
            List<Device[]> pairs = bootWithShuffledGpuPairs();
            int n = pairs.size();
            gpus = new String[n];
            audios = new String[n];
            gpuDrivers = new String[n];
            audioDrivers = new String[n];
            groups = new int[n];
            sample = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Device gpu = pairs.get(i)[0];
                Device audio = pairs.get(i)[1];
                gpus[i] = gpu.id();
                audios[i] = audio.id();
                gpuDrivers[i] = gpu.driver().name();
                audioDrivers[i] = audio.driver().name();
                groups[i] = gpu.group().id();
                sample.add(gpu);
                sample.add(audio);
            }
            cycle = cycleLength(n, m -> gpuPairs(m).size());
            before = sample.stream().map(EngineBench::describe).toList();
            for (int i = 0; i < n; i++) { // one checked round over the whole pool
                List<OpResult> results = new ArrayList<>();
                passthroughCycle(this, i, results::add);
                check(results.size() == PASSTHROUGH_OPS, "the cycle has " + results.size() + " operations");
                for (OpResult r : results) {
                    expect(r, Errno.OK);
                }
            }
            checkUnchanged(k, sample, before);
            settle();
        }
    }

    /**
     * Hands a GPU and its HDMI audio function to VFIO user space and gives them back: unbind both, driver_override
     * both to vfio-pci, bind both to vfio-pci, open the container, open the group, VFIO_GROUP_SET_CONTAINER,
     * VFIO_SET_IOMMU type1v2, VFIO_GROUP_GET_DEVICE_FD of the GPU, close the device, group and container, unbind
     * both from vfio-pci, clear both overrides, bind the GPU back and reprobe the audio function
     * ({@value #PASSTHROUGH_OPS} operations), each result handed to {@code out}.
     */
    static void passthroughCycle(PassthroughState s, int i, Consumer<OpResult> out) {
        Kernel k = s.k;
        String gpu = s.gpus[i];
        String audio = s.audios[i];
        out.accept(k.unbind(gpu));
        out.accept(k.unbind(audio));
        out.accept(k.driverOverride(gpu, TopologyGenerator.VFIO_PCI));
        out.accept(k.driverOverride(audio, TopologyGenerator.VFIO_PCI));
        out.accept(k.bind(gpu, TopologyGenerator.VFIO_PCI));
        out.accept(k.bind(audio, TopologyGenerator.VFIO_PCI));
        out.accept(k.vfioOpenContainer("container"));
        out.accept(k.vfioOpenGroup(s.groups[i], "group"));
        out.accept(k.vfioSetContainer("group", "container"));
        out.accept(k.vfioSetIommu("container", "type1v2"));
        out.accept(k.vfioGetDeviceFd("group", gpu, "device"));
        out.accept(k.close("device"));
        out.accept(k.close("group"));
        out.accept(k.close("container"));
        out.accept(k.unbind(gpu));
        out.accept(k.unbind(audio));
        out.accept(k.driverOverride(gpu, null));
        out.accept(k.driverOverride(audio, null));
        out.accept(k.bind(gpu, s.gpuDrivers[i]));
        out.accept(k.driversProbe(audio));
    }

    static void nextPassthrough(PassthroughState s, Blackhole bh) {
        int i = s.advance();
        passthroughCycle(s, i, bh::consume);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(PASSTHROUGH_OPS)
    public void passthrough(PassthroughState s, Blackhole bh) {
        nextPassthrough(s, bh);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(PASSTHROUGH_OPS)
    public void passthroughThroughput(PassthroughState s, Blackhole bh) {
        nextPassthrough(s, bh);
    }

    // --- (c) a refused bind into a user-owned group ---------------------------------------------

    @State(Scope.Thread)
    public static class RefusedState extends MachineState {
        String[] audios;
        String[] audioDrivers;

        /** Every GPU group is handed to VFIO user space with its audio function left unbound. */
        @Setup(Level.Trial)
        public void setUp() {
            List<Device[]> pairs = bootWithShuffledGpuPairs();
            int n = pairs.size();
            audios = new String[n];
            audioDrivers = new String[n];
            sample = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Device gpu = pairs.get(i)[0];
                Device audio = pairs.get(i)[1];
                audios[i] = audio.id();
                audioDrivers[i] = audio.driver().name();
                int group = gpu.group().id();
                expect(k.unbind(gpu.id()), Errno.OK);
                expect(k.unbind(audio.id()), Errno.OK);
                expect(k.driverOverride(gpu.id(), TopologyGenerator.VFIO_PCI), Errno.OK);
                expect(k.bind(gpu.id(), TopologyGenerator.VFIO_PCI), Errno.OK);
                expect(k.vfioOpenContainer("container " + i), Errno.OK);
                expect(k.vfioOpenGroup(group, "group " + i), Errno.OK);
                expect(k.vfioSetContainer("group " + i, "container " + i), Errno.OK);
                expect(k.vfioSetIommu("container " + i, "type1v2"), Errno.OK);
                check(("vfio-group " + group).equals(gpu.group().owner()), "group " + group + " is not claimed");
                sample.add(gpu);
                sample.add(audio);
            }
            cycle = cycleLength(n, m -> gpuPairs(m).size());
            before = sample.stream().map(EngineBench::describe).toList();
            for (int i = 0; i < n; i++) { // one checked round over the whole pool
                expect(k.bind(audios[i], audioDrivers[i]), Errno.EBUSY);
            }
            checkUnchanged(k, sample, before);
            settle();
        }
    }

    static void nextRefusedBind(RefusedState s, Blackhole bh) {
        int i = s.advance();
        bh.consume(s.k.bind(s.audios[i], s.audioDrivers[i]));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void refusedBind(RefusedState s, Blackhole bh) {
        nextRefusedBind(s, bh);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void refusedBindThroughput(RefusedState s, Blackhole bh) {
        nextRefusedBind(s, bh);
    }
}
