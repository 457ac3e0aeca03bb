package dev.iommufx.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.iommufx.engine.RandomOperations.Kind;
import dev.iommufx.engine.RandomOperations.Op;
import dev.iommufx.engine.history.Change;
import dev.iommufx.engine.trace.Frame;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.GroupSpec;
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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
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
 *   <li><b>Invariants</b> — after every operation (and every undo and redo) {@link Invariants#check} is
 *       empty: kernel-model §8 as the engine states it (I1, I2, I3, I5, the converse of I8) plus the
 *       engine's own bookkeeping (a removed device has no driver or group, no empty group, VFIO
 *       registration matches the binding). All of them are checked always, also after the
 *       IOMMU kernel-API calls, because the generator only issues those the way a real driver would (see
 *       {@code RandomOperations.claimOrRelease}: §8 "Not guaranteed" — the NULL cookie and foreign releases
 *       that 6.1 does not refuse are left out rather than masking I5).</li>
 *   <li><b>Failure atomicity</b> — "A failed kernel operation leaves the model exactly as it was" (the
 *       engine's rule, after the kernel's unwinding on every error path, §2.2 and §3): an
 *       operation that returns an errno (and is not pending) leaves {@link Snapshot#of} equal to the
 *       snapshot before it, and also the parts of the state the snapshot does not show (domains, VFIO
 *       containers, driver bindings: {@link #hiddenState}).</li>
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
 * same {@code iommufx.randomOps}, and {@code -Diommufx.randomTrace=true} to print every operation; see
 * docs/random-testing.md.
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
    private static final int MIN_OPS_FOR_COVERAGE = 500;
    /** {@code -Diommufx.randomTrace=true} prints every operation (off by default: output stays small). */
    private static final boolean TRACE = Boolean.getBoolean("iommufx.randomTrace");

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
            System.out.printf("RandomOperationsTest: %d operations in %d runs (%.1f s with the checks); %d failed "
                            + "with an errno, %d pending (%d of them unbinds, the rest removals); undo/redo checked "
                            + "after %d operations, %d multi-step undos, %d undone for good; operations after which "
                            + "some group was in each state: %s%n",
                    TOTAL.ops, TOTAL.runs, TOTAL.nanos / 1e9, TOTAL.failed, TOTAL.pending, TOTAL.pendingUnbinds,
                    TOTAL.undoChecks,
                    TOTAL.multiUndos, TOTAL.undoneForGood, TOTAL.states);
            StringBuilder kinds = new StringBuilder("  succeeded/issued per operation:");
            TOTAL.issued.forEach((kind, n) -> kinds.append(' ').append(kind.name().toLowerCase()).append('=')
                    .append(n[1]).append('/').append(n[0]));
            System.out.println(kinds);
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
        /** The state now, as checked after the last operation (it is the state before the next one). */
        Snapshot current;
        List<Object> currentFull;
        int index;

        record Step(int index, Op op, OpResult result, Snapshot before, List<Object> fullBefore, Snapshot after,
                    List<Object> fullAfter) {
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
            if (current == null) {
                current = Snapshot.of(k);
                currentFull = hiddenState(k);
            }
            Snapshot before = current;
            List<Object> fullBefore = currentFull;
            OpResult r;
            try {
                r = op.applyTo(k);
            } catch (RuntimeException e) {
                throw new AssertionError(context(op, null, "the engine threw " + e), e);
            }
            remember(op, r);
            stats.count(op.kind(), r);

            // kernel-model §8: the invariants hold after every operation
            List<String> bad = Invariants.check(k);
            if (!bad.isEmpty()) {
                fail(context(op, r, "§8 invariants violated:\n    " + String.join("\n    ", bad)));
            }
            Snapshot after = Snapshot.of(k);
            List<Object> fullAfter = hiddenState(k);
            current = after; // the state before the next operation, unless an undo below stays undone
            currentFull = fullAfter;
            if (!r.ok() && !r.pending()) {
                // "A failed kernel operation leaves the model exactly as it was"
                requireSame("the failed operation changed the state", op, r, before, fullBefore, after, fullAfter);
            } else if (r.changes().isEmpty()) {
                requireSame("the operation succeeded without recording a change, yet changed the state "
                        + "(undo could not restore it)", op, r, before, fullBefore, after, fullAfter);
            } else {
                if (!k.canUndo()) {
                    fail(context(op, r, "the operation succeeded with changes but canUndo() is false"));
                }
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
                current = steps.get(n - 1).before();
                currentFull = steps.get(n - 1).fullBefore();
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

        private void checkUndoRedo(Step s, String when, Snapshot expected, List<Object> fullExpected) {
            List<String> bad = Invariants.check(k);
            if (!bad.isEmpty()) {
                fail(context(s, when + ": §8 invariants violated:\n    " + String.join("\n    ", bad)));
            }
            Snapshot now = Snapshot.of(k);
            List<Object> full = hiddenState(k);
            if (!now.equals(expected) || !full.equals(fullExpected)) {
                fail(context(s, when + ", the state is not the one " + (when.contains("undo") ? "before" : "after")
                        + " the operation:\n" + diff(expected, fullExpected, now, full)));
            }
        }

        private void requireSame(String what, Op op, OpResult r, Snapshot before, List<Object> fullBefore,
                                 Snapshot after, List<Object> fullAfter) {
            if (!after.equals(before) || !fullAfter.equals(fullBefore)) {
                fail(context(op, r, what + ":\n" + diff(before, fullBefore, after, fullAfter)));
            }
        }

        private void remember(Op op, OpResult r) {
            String line = String.format("#%-6d %s -> %s", index, op.text(), r.resultLabel());
            if (TRACE) { // opt-in, for replaying one seed: every operation as a line of Java
                System.out.println(line);
            }
            recent.addLast(line);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }

        private void recordStates() {
            Set<GroupState> now = EnumSet.noneOf(GroupState.class);
            for (IommuGroup g : k.groups()) {
                now.add(g.state());
            }
            for (GroupState state : now) {
                stats.states.merge(state, 1L, Long::sum);
            }
        }

        /**
         * The generator must keep reaching the interesting states: all four group states, a pending unbind
         * (where the machine has a device a VFIO driver can take) and every operation. Not asserted for runs
         * shorter than {@link #MIN_OPS_FOR_COVERAGE} operations (a quick {@code -Diommufx.randomOps=1000}).
         */
        void checkCoverage() {
            if (index < MIN_OPS_FOR_COVERAGE) {
                return;
            }
            String where = machine + " seed=" + seed + " (" + index + " operations)";
            if (!k.groups().isEmpty()) {
                Set<GroupState> missing = EnumSet.allOf(GroupState.class);
                missing.removeAll(stats.states.keySet());
                if (!missing.isEmpty()) {
                    fail(where + ": the generator never reached group state(s) " + missing + "; reached "
                            + stats.states + " — it has degraded");
                }
            }
            if (hasVfioCapableDevice(topology) && stats.pendingUnbinds == 0) {
                fail(where + ": no pending unbind was reached (an unbind of a VFIO device whose fd is open, "
                        + "waiting in vfio_unregister_group_dev()) — the generator has degraded");
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
     * exactly: each group's default, blocking and current domain (by identity, with its type), each VFIO
     * group's liveness and container, each container's groups, backend and domain, the drivers' bound-device
     * sets, and which VFIO group every open handle refers to (a stale one, of a freed group). Read through
     * public accessors only; comparable with {@code equals}, independent of map iteration order.
     */
    static List<Object> hiddenState(Kernel k) {
        List<Object> out = new ArrayList<>();
        Map<VfioContainer, Integer> containers = new IdentityHashMap<>();
        List<VfioContainer> order = new ArrayList<>();
        List<String> names = new ArrayList<>(k.handles().keySet());
        names.sort(null);
        for (String name : names) {
            Handle h = k.handles().get(name);
            if (h.container() != null) {
                out.add(new HandleEntry(name, cid(h.container(), containers, order), null, null, false, false));
            } else {
                VfioGroup vg = h.group();
                IommuGroup ig = vg.iommuGroup();
                out.add(new HandleEntry(name, 0, ig.id(), h.device() == null ? null : h.device().id(),
                        ig.vfioGroup() != vg, k.group(ig.id()) != ig));
            }
        }
        for (IommuGroup g : k.groups()) {
            VfioGroup vg = g.vfioGroup();
            out.add(new GroupEntry(g.id(), Dom.of(g.defaultDomain()), Dom.of(g.blockingDomain()), Dom.of(g.domain()),
                    vg == null ? null : vg.isAlive(),
                    vg == null || vg.container() == null ? 0 : cid(vg.container(), containers, order)));
        }
        for (int i = 0; i < order.size(); i++) {
            VfioContainer c = order.get(i);
            List<Integer> groups = new ArrayList<>(c.groups().size());
            for (VfioGroup vg : c.groups()) {
                groups.add(vg.iommuGroup().id());
            }
            out.add(new ContainerEntry(i + 1, c.name(), groups, c.iommuDriver(), Dom.of(c.domain())));
        }
        for (Driver d : k.drivers()) {
            Set<String> bound = new HashSet<>();
            for (Device dev : d.boundDevices()) {
                bound.add(dev.id());
            }
            out.add(new DriverEntry(d.bus().sysfsName() + "/" + d.name(), bound));
        }
        return out;
    }

    /** A domain by identity (the engine's domain number) and its type, which a sysfs type write may change. */
    record Dom(int id, DomainType type) {
        static Dom of(Domain d) {
            return d == null ? null : new Dom(d.id(), d.type());
        }

        @Override
        public String toString() {
            return "#" + id + " " + type.sysfsName();
        }
    }

    /** An open handle; container 0 = none; the VFIO group it holds may be stale or of a freed IOMMU group. */
    record HandleEntry(String name, int container, Integer group, String device, boolean stale, boolean freedGroup) {
    }

    /** vfioAlive null: no /dev/vfio/N; vfioContainer 0: none. */
    record GroupEntry(int id, Dom defaultDomain, Dom blockingDomain, Dom domain, Boolean vfioAlive,
                      int vfioContainer) {
    }

    record ContainerEntry(int number, String name, List<Integer> groups, String backend, Dom domain) {
    }

    record DriverEntry(String driver, Set<String> bound) {
    }

    private static int cid(VfioContainer c, Map<VfioContainer, Integer> ids, List<VfioContainer> order) {
        return ids.computeIfAbsent(c, x -> {
            order.add(x);
            return order.size();
        });
    }

    /** The entries that differ between two states, for failure messages. */
    static String diff(Snapshot expected, List<Object> fullExpected, Snapshot actual, List<Object> fullActual) {
        StringBuilder sb = new StringBuilder();
        diffMap(sb, "device", expected.devices(), actual.devices());
        diffMap(sb, "group", expected.groups(), actual.groups());
        diffMap(sb, "handle", expected.handles(), actual.handles());
        diffMap(sb, "/dev/vfio", expected.vfio(), actual.vfio());
        List<Object> gone = new ArrayList<>(fullExpected);
        gone.removeAll(fullActual);
        List<Object> added = new ArrayList<>(fullActual);
        added.removeAll(fullExpected);
        for (Object o : gone) {
            sb.append("    expected: ").append(o).append('\n');
        }
        for (Object o : added) {
            sb.append("    actual:   ").append(o).append('\n');
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
     * The four fixture machines, two variants of them with default domains the real machines lack (none,
     * and identity), then every topologies/*.json when the project has them and a
     * {@code dev.iommufx.io.TopologyReader.read(Path)} to read them (looked up reflectively, so this test
     * does not depend on either existing). A file that cannot be read becomes a run that fails saying so.
     */
    private static Map<String, Supplier<Topology>> machines() {
        Map<String, Supplier<Topology>> out = new LinkedHashMap<>();
        for (String name : FIXTURES) {
            out.put(name, () -> fixture(name));
        }
        // default domains the real machines do not have: none at all (6.1 ND, §1.3, §7c, §9 S7) and identity
        out.put("T3-multifunction/no-default-domain", () -> withDefaultDomains(fixture("T3-multifunction"), null));
        out.put("T5-switch/identity", () -> withDefaultDomains(fixture("T5-switch"), DomainType.IDENTITY));
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

    private static Topology fixture(String name) {
        return FixtureRecord.load("kernel-6.1/" + name + "-claim.json").topology();
    }

    /** The same machine with every group's default domain of the given type (null: none, as 6.1 s390-iommu). */
    private static Topology withDefaultDomains(Topology t, DomainType type) {
        List<GroupSpec> groups = new ArrayList<>();
        for (GroupSpec g : t.groups()) {
            groups.add(new GroupSpec(g.id(), type));
        }
        return new Topology(t.name(), t.description(), t.defaultDomainType(), t.devices(), t.drivers(), groups);
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
        long pendingUnbinds;
        long undoChecks;
        long multiUndos;
        long undoneForGood;
        long nanos;
        int runs;
        /** For each group state, after how many operations some group was in it. */
        final Map<GroupState, Long> states = new EnumMap<>(GroupState.class);
        final Map<Kind, long[]> issued = new EnumMap<>(Kind.class);

        void count(Kind kind, OpResult r) {
            ops++;
            long[] n = issued.computeIfAbsent(kind, x -> new long[2]);
            n[0]++;
            if (r.pending()) {
                pending++;
                if (kind == Kind.UNBIND || kind == Kind.UNBIND_FROM) {
                    pendingUnbinds++;
                }
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
            pendingUnbinds += s.pendingUnbinds;
            undoChecks += s.undoChecks;
            multiUndos += s.multiUndos;
            undoneForGood += s.undoneForGood;
            s.states.forEach((state, n) -> states.merge(state, n, Long::sum));
            s.issued.forEach((kind, n) -> {
                long[] t = issued.computeIfAbsent(kind, x -> new long[2]);
                t[0] += n[0];
                t[1] += n[1];
            });
        }
    }
}
