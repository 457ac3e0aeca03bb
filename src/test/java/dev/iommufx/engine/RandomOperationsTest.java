package dev.iommufx.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.iommufx.engine.RandomOperations.Kind;
import dev.iommufx.engine.RandomOperations.Op;
import dev.iommufx.model.Topology;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random operations on every test machine, checking after each one the properties the engine must
 * keep whatever a user or a kernel driver does (operations come from {@link RandomOperations}):
 * <ol>
 *   <li><b>Invariants</b> — after every operation {@link Invariants#check} is empty: kernel-semantics §8,
 *       I1–I5 and I8 (plus the engine's own bookkeeping). All of them are checked always, also after the
 *       IOMMU kernel-API calls, because the generator only issues those the way a real driver would (see
 *       {@code RandomOperations.claimOrRelease}: §8 "Not guaranteed" — the NULL cookie and foreign releases
 *       that 6.1 does not refuse are left out rather than masking I5).</li>
 *   <li><b>Failure atomicity</b> — "A failed kernel operation leaves the model exactly as it was": an
 *       operation that returns an errno (and is not pending) leaves {@link Snapshot#of} equal to the
 *       snapshot before it, and also the parts of the state the snapshot does not show (domains, VFIO
 *       containers, driver bindings: {@link #fullState}).</li>
 *   <li><b>No silent changes</b> — a successful operation that recorded no changes changed nothing (it is
 *       not in the undo history, so anything it changed could never be undone).</li>
 *   <li><b>Undo and redo</b> — for about one successful operation in four, {@link Kernel#undo} gives back
 *       the exact state from before it and {@link Kernel#redo} the exact state after it; now and then several
 *       operations are undone in a row and all redone, or undone for good (the run goes on from there).</li>
 *   <li><b>Coverage</b> — each run reaches all four {@link GroupState}s and at least one pending unbind
 *       (§4.1: vfio-pci's remove waits while a device fd is open), and issues every public operation, so the
 *       generator cannot silently degrade into only trivial failures.</li>
 * </ol>
 * The number of operations comes from {@code -Diommufx.randomOps} (default 100000, spread over every machine
 * and seed). To replay one run: {@code -Diommufx.randomTopology=<machine> -Diommufx.randomSeed=<seed>} with the
 * same {@code iommufx.randomOps}; see docs/random-testing.md.
 */
class RandomOperationsTest {

    /** The four real machines of fixtures/kernel-6.1. */
    static final List<String> FIXTURES = List.of("T1-rootports", "T2-pcibridge", "T3-multifunction", "T5-switch");
    /** Seeds run on every machine. */
    static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    /** Successful operations whose undo is checked: one in this many. */
    private static final int UNDO_ONE_IN = 4;
    /** Kept after-states for undoing several operations in a row; below the kernel's history limit. */
    private static final int WINDOW = 12;
    private static final int HISTORY_LIMIT = 32;
    private static final int RECENT = 10;

    private static final Map<String, Supplier<Topology>> MACHINES = machines();
    private static final Stats TOTAL = new Stats();

    static int totalOps() {
        return Integer.getInteger("iommufx.randomOps", 100_000);
    }

    /**
     * Operations per run: the total spread over the fixture machines and the seeds, rounded up so the sum is
     * at least the total. Extra topologies/*.json add runs of the same length; the length of a run does not
     * depend on which runs are selected, so a replay repeats the failing prefix exactly.
     */
    static int opsPerRun() {
        return (int) Math.ceil((double) totalOps() / (FIXTURES.size() * SEEDS.length));
    }

    static Stream<Arguments> runs() {
        String onlyMachine = System.getProperty("iommufx.randomTopology");
        String onlySeed = System.getProperty("iommufx.randomSeed");
        List<Arguments> out = new ArrayList<>();
        for (String machine : MACHINES.keySet()) {
            if (onlyMachine != null && !onlyMachine.isBlank() && !onlyMachine.equals(machine)) {
                continue;
            }
            if (onlySeed != null && !onlySeed.isBlank()) {
                out.add(Arguments.of(machine, Long.parseLong(onlySeed.trim())));
                continue;
            }
            for (long seed : SEEDS) {
                out.add(Arguments.of(machine, seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("runs")
    void randomOperationsKeepTheModelConsistent(String machine, long seed) {
        Topology topology = MACHINES.get(machine).get();
        Run run = new Run(machine, seed, topology);
        long start = System.nanoTime();
        run.execute(opsPerRun());
        run.checkCoverage();
        synchronized (TOTAL) {
            TOTAL.add(run.stats);
            TOTAL.nanos += System.nanoTime() - start;
            TOTAL.runs++;
        }
    }

    @AfterAll
    static void summary() {
        synchronized (TOTAL) {
            if (TOTAL.runs == 0) {
                return;
            }
            System.out.printf("RandomOperationsTest: %d operations in %d runs (%.1f s engine time); %d failed with "
                            + "an errno, %d pending unbinds; undo/redo checked after %d operations, %d multi-step "
                            + "undos, %d undone for good; group states reached: %s%n",
                    TOTAL.ops, TOTAL.runs, TOTAL.nanos / 1e9, TOTAL.failed, TOTAL.pending, TOTAL.undoChecks,
                    TOTAL.multiUndos, TOTAL.undoneForGood, TOTAL.states);
        }
    }

    // --- one run ---------------------------------------------------------------------------------------

    /** One machine, one seed: boots the kernel and applies the generated operations with every check. */
    private static final class Run {
        final String machine;
        final long seed;
        final Topology topology;
        final Random rnd;
        final Kernel k;
        final RandomOperations gen;
        final Stats stats = new Stats();
        final Deque<String> recent = new ArrayDeque<>();
        /** Successful operations with changes, newest first, with the states around them. */
        final Deque<Step> window = new ArrayDeque<>();
        int index;

        record Step(int index, Op op, OpResult result, Snapshot before, List<String> fullBefore, Snapshot after,
                    List<String> fullAfter) {
        }

        Run(String machine, long seed, Topology topology) {
            this.machine = machine;
            this.seed = seed;
            this.topology = topology;
            this.rnd = new Random(seed);
            this.k = Kernel.boot(topology, HISTORY_LIMIT);
            this.gen = new RandomOperations(rnd, k);
        }

        void execute(int ops) {
            List<String> atBoot = Invariants.check(k);
            if (!atBoot.isEmpty()) {
                fail(machine + ": the booted machine already violates " + atBoot);
            }
            recordStates();
            for (index = 0; index < ops; index++) {
                step();
            }
        }

        private void step() {
            Op op = gen.next();
            Snapshot before = Snapshot.of(k);
            List<String> fullBefore = fullState(k);
            OpResult r;
            try {
                r = op.applyTo(k);
            } catch (RuntimeException e) {
                throw new AssertionError(context(op, null, "the engine threw " + e), e);
            }
            remember(op, r);
            stats.count(op.kind(), r);

            // kernel-semantics §8: the invariants hold after every operation
            List<String> bad = Invariants.check(k);
            if (!bad.isEmpty()) {
                fail(context(op, r, "§8 invariants violated:\n    " + String.join("\n    ", bad)));
            }
            Snapshot after = Snapshot.of(k);
            List<String> fullAfter = fullState(k);
            if (!r.ok() && !r.pending()) {
                // "A failed kernel operation leaves the model exactly as it was"
                requireSame("the failed operation changed the state", op, r, before, fullBefore, after, fullAfter);
            } else if (r.changes().isEmpty()) {
                requireSame("the operation succeeded without recording a change, yet changed the state "
                        + "(undo could not restore it)", op, r, before, fullBefore, after, fullAfter);
            } else {
                window.push(new Step(index, op, r, before, fullBefore, after, fullAfter));
                if (window.size() > WINDOW) {
                    window.removeLast();
                }
                int dice = rnd.nextInt(100);
                if (dice < 100 / UNDO_ONE_IN) {
                    undoRedo(1, true);
                } else if (dice < 100 / UNDO_ONE_IN + 2 && window.size() >= 2) {
                    undoRedo(2 + rnd.nextInt(window.size() - 1), true);
                } else if (dice < 100 / UNDO_ONE_IN + 3) {
                    undoRedo(1 + rnd.nextInt(Math.min(3, window.size())), false);
                }
            }
            recordStates();
        }

        /**
         * Undoes the newest {@code n} operations one by one, checking each gives back the state before that
         * operation; then redoes them all (checking each state after), or leaves them undone and goes on.
         */
        private void undoRedo(int n, boolean redo) {
            List<Step> steps = new ArrayList<>(window).subList(0, n);
            for (Step s : steps) {
                OpResult u = k.undo();
                if (u != s.result()) {
                    fail(context(s, "undo() undid " + (u == null ? "nothing" : "'" + u.operation() + "'")
                            + " instead of this operation (undo depth " + n + ")"));
                }
                checkUndoRedo(s, "after undo", s.before(), s.fullBefore());
            }
            if (!redo) {
                for (int i = 0; i < n; i++) {
                    window.pop();
                }
                stats.undoneForGood++;
                recent.addLast("        undo() x" + n + ", not redone: the run goes on from the state before #"
                        + steps.get(n - 1).index());
                if (recent.size() > RECENT) {
                    recent.removeFirst();
                }
                return;
            }
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                OpResult u = k.redo();
                if (u != s.result()) {
                    fail(context(s, "redo() redid " + (u == null ? "nothing" : "'" + u.operation() + "'")
                            + " instead of this operation (redo depth " + n + ")"));
                }
                checkUndoRedo(s, "after redo", s.after(), s.fullAfter());
            }
            if (n == 1) {
                stats.undoChecks++;
            } else {
                stats.multiUndos++;
                stats.undoChecks += n;
            }
        }

        private void checkUndoRedo(Step s, String when, Snapshot expected, List<String> fullExpected) {
            List<String> bad = Invariants.check(k);
            if (!bad.isEmpty()) {
                fail(context(s, when + ": §8 invariants violated:\n    " + String.join("\n    ", bad)));
            }
            Snapshot now = Snapshot.of(k);
            List<String> full = fullState(k);
            if (!now.equals(expected) || !full.equals(fullExpected)) {
                fail(context(s, when + ", the state is not the one " + (when.contains("undo") ? "before" : "after")
                        + " the operation:\n" + diff(expected, fullExpected, now, full)));
            }
        }

        private void requireSame(String what, Op op, OpResult r, Snapshot before, List<String> fullBefore,
                                 Snapshot after, List<String> fullAfter) {
            if (!after.equals(before) || !fullAfter.equals(fullBefore)) {
                fail(context(op, r, what + ":\n" + diff(before, fullBefore, after, fullAfter)));
            }
        }

        private void remember(Op op, OpResult r) {
            recent.addLast(String.format("#%-6d %s -> %s", index, op.text(), r.resultLabel()));
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }

        private void recordStates() {
            for (IommuGroup g : k.groups()) {
                stats.states.add(g.state());
            }
        }

        void checkCoverage() {
            String where = machine + " seed=" + seed + " (" + index + " operations)";
            if (!k.groups().isEmpty()) {
                Set<GroupState> missing = EnumSet.allOf(GroupState.class);
                missing.removeAll(stats.states);
                if (!missing.isEmpty()) {
                    fail(where + ": the generator never reached group state(s) " + missing + "; reached "
                            + stats.states + " — it has degraded");
                }
            }
            if (hasVfioCapableDevice(topology) && stats.pending == 0) {
                fail(where + ": no pending unbind was reached (vfio-pci remove() waiting for an open device "
                        + "fd) — the generator has degraded");
            }
            Set<Kind> never = EnumSet.allOf(Kind.class);
            never.removeAll(stats.issued.keySet());
            if (!never.isEmpty()) {
                fail(where + ": operations never issued: " + never);
            }
        }

        // --- failure messages ------------------------------------------------------------------------

        private String context(Op op, OpResult r, String problem) {
            StringBuilder sb = new StringBuilder();
            sb.append(machine).append(" seed=").append(seed).append(", operation #").append(index).append(": ")
                    .append(op.text()).append(op.guided() ? "  [guided]" : "").append('\n');
            if (r != null) {
                sb.append("  engine: ").append(r.operation()).append(" -> ").append(r.resultLabel()).append('\n');
            }
            sb.append("  problem: ").append(problem).append('\n');
            appendResult(sb, r);
            appendRecent(sb);
            return sb.toString();
        }

        private String context(Step s, String problem) {
            StringBuilder sb = new StringBuilder();
            sb.append(machine).append(" seed=").append(seed).append(", undo/redo check at operation #").append(index)
                    .append(" of operation #").append(s.index()).append(": ").append(s.op().text()).append('\n')
                    .append("  engine: ").append(s.result().operation()).append(" -> ")
                    .append(s.result().resultLabel()).append('\n')
                    .append("  problem: ").append(problem).append('\n');
            sb.append("  its changes:\n");
            for (Change c : s.result().changes()) {
                sb.append("    ").append(c).append('\n');
            }
            appendResult(sb, s.result());
            appendRecent(sb);
            return sb.toString();
        }

        private void appendResult(StringBuilder sb, OpResult r) {
            if (r != null) {
                sb.append("  frames:\n");
                for (Frame f : r.frames()) {
                    sb.append("    ").append(f).append('\n');
                }
                for (String w : r.warnings()) {
                    sb.append("  ").append(w).append('\n');
                }
            }
        }

        private void appendRecent(StringBuilder sb) {
            sb.append("  last ").append(recent.size()).append(" operations:\n");
            for (String line : recent) {
                sb.append("    ").append(line).append('\n');
            }
            sb.append("  replay: mvn -B test -Dtest=RandomOperationsTest -Diommufx.randomTopology=").append(machine)
                    .append(" -Diommufx.randomSeed=").append(seed).append(" -Diommufx.randomOps=").append(totalOps())
                    .append('\n');
        }
    }

    // --- state beyond the snapshot ------------------------------------------------------------------------

    /**
     * What {@link Snapshot} does not show but an undo, a redo or a failed operation must still put back
     * exactly: each group's default, blocking and current domain (by identity), each VFIO group's and
     * container's links, the drivers' bound-device sets and which VFIO group every open handle refers to.
     * Read through public accessors only; one line per object, in a deterministic order.
     */
    static List<String> fullState(Kernel k) {
        List<String> out = new ArrayList<>();
        Map<VfioContainer, String> containers = new IdentityHashMap<>();
        List<VfioContainer> order = new ArrayList<>();
        for (Handle h : new TreeMap<>(k.handles()).values()) {
            String line;
            if (h.container() != null) {
                line = "handle " + h.name() + " = container " + cid(h.container(), containers, order);
            } else {
                VfioGroup vg = h.group();
                IommuGroup ig = vg.iommuGroup();
                line = "handle " + h.name() + " = " + (h.device() != null ? "device " + h.device().id() + " of " : "")
                        + vg + (ig.vfioGroup() == vg ? "" : " (stale)") + (k.group(ig.id()) == ig ? "" : " (freed group)");
            }
            out.add(line);
        }
        for (IommuGroup g : k.groups()) {
            StringBuilder sb = new StringBuilder("group ").append(g.id()).append(": default ")
                    .append(dom(g.defaultDomain())).append(", blocking ").append(dom(g.blockingDomain()))
                    .append(", on ").append(dom(g.domain()));
            VfioGroup vg = g.vfioGroup();
            if (vg != null) {
                sb.append("; vfio alive=").append(vg.isAlive()).append(" devices=")
                        .append(vg.devices().stream().map(Device::id).toList()).append(" container=")
                        .append(vg.container() == null ? "none" : cid(vg.container(), containers, order));
            }
            out.add(sb.toString());
        }
        for (int i = 0; i < order.size(); i++) {
            VfioContainer c = order.get(i);
            out.add("container " + containers.get(c) + " '" + c.name() + "': groups "
                    + c.groups().stream().map(vg -> vg.iommuGroup().id()).toList() + ", backend " + c.iommuDriver()
                    + ", domain " + dom(c.domain()));
        }
        for (Driver d : k.drivers()) {
            Set<String> bound = new TreeSet<>();
            for (Device dev : d.boundDevices()) {
                bound.add(dev.id());
            }
            out.add("driver " + d.bus().sysfsName() + "/" + d.name() + " bound " + bound);
        }
        return out;
    }

    private static String cid(VfioContainer c, Map<VfioContainer, String> ids, List<VfioContainer> order) {
        return ids.computeIfAbsent(c, x -> {
            order.add(x);
            return "C" + order.size();
        });
    }

    private static String dom(Domain d) {
        return d == null ? "none" : "#" + d.id() + " " + d.type().sysfsName() + " (" + d.label() + ")";
    }

    /** The entries that differ between two states, for failure messages. */
    static String diff(Snapshot expected, List<String> fullExpected, Snapshot actual, List<String> fullActual) {
        StringBuilder sb = new StringBuilder();
        diffMap(sb, "device", expected.devices(), actual.devices());
        diffMap(sb, "group", expected.groups(), actual.groups());
        diffMap(sb, "handle", expected.handles(), actual.handles());
        diffMap(sb, "/dev/vfio", expected.vfio(), actual.vfio());
        List<String> gone = new ArrayList<>(fullExpected);
        gone.removeAll(fullActual);
        List<String> added = new ArrayList<>(fullActual);
        added.removeAll(fullExpected);
        for (String s : gone) {
            sb.append("    expected: ").append(s).append('\n');
        }
        for (String s : added) {
            sb.append("    actual:   ").append(s).append('\n');
        }
        return sb.length() == 0 ? "    (the order of entries differs)\n" : sb.toString();
    }

    private static <K, V> void diffMap(StringBuilder sb, String what, Map<K, V> expected, Map<K, V> actual) {
        Set<K> keys = new LinkedHashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (K key : keys) {
            V e = expected.get(key);
            V a = actual.get(key);
            if (!Objects.equals(e, a)) {
                sb.append("    ").append(what).append(' ').append(key).append(":\n      expected ").append(e)
                        .append("\n      actual   ").append(a).append('\n');
            }
        }
    }

    // --- machines -------------------------------------------------------------------------------------------

    /**
     * The four fixture machines, then every topologies/*.json when the project has them and a
     * {@code dev.iommufx.io.TopologyReader.read(Path)} to read them (looked up reflectively, so this test
     * does not depend on either existing). A file that cannot be read becomes a run that fails saying so.
     */
    private static Map<String, Supplier<Topology>> machines() {
        Map<String, Supplier<Topology>> out = new LinkedHashMap<>();
        for (String name : FIXTURES) {
            out.put(name, () -> FixtureRecord.load("kernel-6.1/" + name + "-claim.json").topology());
        }
        Path dir = Path.of(System.getProperty("basedir", "."), "topologies");
        Method read = topologyReader();
        if (read == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                    .collect(Collectors.toList())) {
                String name = "topologies/" + p.getFileName();
                out.put(name, () -> {
                    try {
                        Object t = read.invoke(null, p);
                        if (t instanceof Topology topology) {
                            return topology;
                        }
                        throw new AssertionError(name + ": TopologyReader.read returned " + t);
                    } catch (InvocationTargetException e) {
                        throw new AssertionError(name + " cannot be read: " + e.getCause(), e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(name + ": " + e, e);
                    }
                });
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + ": " + e, e);
        }
        return out;
    }

    private static Method topologyReader() {
        try {
            Method m = Class.forName("dev.iommufx.io.TopologyReader").getMethod("read", Path.class);
            return java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    /** A device a VFIO driver could take: in a group, not a bridge, on a bus that has a VFIO driver. */
    static boolean hasVfioCapableDevice(Topology t) {
        Kernel k = Kernel.boot(t, 0);
        for (Device d : k.devices()) {
            if (d.group() == null || d.spec().hasBridgeHeader()) {
                continue;
            }
            for (Driver drv : k.drivers()) {
                if (drv.bus() == d.bus() && drv.spec().vfio()) {
                    return true;
                }
            }
        }
        return false;
    }

    // --- statistics -------------------------------------------------------------------------------------------

    private static final class Stats {
        long ops;
        long failed;
        long pending;
        long undoChecks;
        long multiUndos;
        long undoneForGood;
        long nanos;
        int runs;
        final Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        final Map<Kind, long[]> issued = new EnumMap<>(Kind.class);

        void count(Kind kind, OpResult r) {
            ops++;
            long[] n = issued.computeIfAbsent(kind, x -> new long[2]);
            n[0]++;
            if (r.pending()) {
                pending++;
            }
            if (r.ok()) {
                n[1]++;
            } else if (!r.pending()) {
                failed++;
            }
        }

        void add(Stats s) {
            ops += s.ops;
            failed += s.failed;
            pending += s.pending;
            undoChecks += s.undoChecks;
            multiUndos += s.multiUndos;
            undoneForGood += s.undoneForGood;
            states.addAll(s.states);
            s.issued.forEach((kind, n) -> {
                long[] t = issued.computeIfAbsent(kind, x -> new long[2]);
                t[0] += n[0];
                t[1] += n[1];
            });
        }
    }
}
