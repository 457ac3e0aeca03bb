package dev.iommufx.ui.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TidyTreeLayout} on seeded random trees of several shapes and node sizes (the seed is in each test's
 * name; {@link #tree(long)} rebuilds the tree of a failing seed), on a 100,000-node path, and on small trees
 * whose coordinates were worked out by hand.
 */
class TidyTreeLayoutTest {
    private static final double EPS = 1e-6;

    /** Seeds of the random trees: enough for every combination of shape, sizes and gap to occur several times. */
    static IntStream seeds() {
        return IntStream.range(0, 240);
    }

    // --- the properties, on random trees -------------------------------------------------------------

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void neighboursOnEveryLevelAreInOrderAndAtLeastGapApart(long seed) {
        Tree t = tree(seed);
        double[] x = t.layout();
        for (List<Integer> level : levels(t)) {
            for (int k = 1; k < level.size(); k++) {
                int a = level.get(k - 1);
                int b = level.get(k);
                double space = (x[b] - t.size[b] / 2) - (x[a] + t.size[a] / 2);
                assertThat(space).as("%s: space between nodes %d and %d", t, a, b).isGreaterThanOrEqualTo(t.gap - EPS);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyParentIsCentredBetweenItsFirstAndLastChild(long seed) {
        Tree t = tree(seed);
        double[] x = t.layout();
        for (int v = 0; v < t.n(); v++) {
            int[] cs = t.children[v];
            if (t.reachable[v] && cs.length > 0) {
                assertThat(x[v]).as("%s: node %d", t, v).isCloseTo((x[cs[0]] + x[cs[cs.length - 1]]) / 2, within(EPS));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSmallestBoxEdgeIsZeroAndUnreachableNodesAreNaN(long seed) {
        Tree t = tree(seed);
        double[] x = t.layout();
        double min = Double.POSITIVE_INFINITY;
        for (int v = 0; v < t.n(); v++) {
            if (t.reachable[v]) {
                assertThat(x[v]).as("%s: node %d", t, v).isFinite();
                min = Math.min(min, x[v] - t.size[v] / 2);
            } else {
                assertThat(x[v]).as("%s: unreachable node %d", t, v).isNaN();
            }
        }
        assertThat(min).as("%s", t).isCloseTo(0, within(EPS));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLayoutIsDeterministic(long seed) {
        Tree t = tree(seed);
        double[] first = t.layout();
        Tree again = tree(seed); // equal arrays, other instances
        assertThat(again.layout()).as("%s", t).containsExactly(first);
        assertThat(t.layout()).as("%s", t).containsExactly(first);
    }

    /**
     * The drawing of the mirror image (every child list reversed) is the mirror image of the drawing: Walker's
     * aesthetic A4, which the even spreading of the smaller subtrees is meant to give. Checked for equal and for
     * different sizes alike: sizes only enter through the separation of two neighbours, which is symmetric in them.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theMirrorImageIsDrawnAsTheMirrorImage(long seed) {
        Tree t = tree(seed);
        double[] x = t.layout();
        double[] m = t.mirror().layout();
        double width = width(t, x);
        assertThat(width(t, m)).as("%s: width", t).isCloseTo(width, within(EPS));
        for (int v = 0; v < t.n(); v++) {
            if (t.reachable[v]) {
                assertThat(m[v]).as("%s: node %d", t, v).isCloseTo(width - x[v], within(EPS));
            }
        }
    }

    /**
     * Subtrees are as close as the gap allows: the last child's subtree of every family is pushed left until, on
     * some level, one of its boxes is exactly {@code gap} from a box of its left siblings' subtrees. (The subtrees
     * between need not touch: they are spread evenly in the space left between the two that do.)
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLastSubtreeOfEveryFamilyTouchesItsLeftSiblingsAtTheGap(long seed) {
        Tree t = tree(seed);
        double[] x = t.layout();
        for (int p = 0; p < t.n(); p++) {
            int[] cs = t.children[p];
            if (!t.reachable[p] || cs.length < 2) {
                continue;
            }
            List<double[]> left = new ArrayList<>(); // per relative depth: the greatest right edge of the forest
            for (int i = 0; i < cs.length - 1; i++) {
                extents(t, x, cs[i], left, true);
            }
            List<double[]> right = new ArrayList<>(); // per relative depth: the least left edge of the last subtree
            extents(t, x, cs[cs.length - 1], right, false);
            double closest = Double.POSITIVE_INFINITY;
            for (int d = 0; d < Math.min(left.size(), right.size()); d++) {
                closest = Math.min(closest, right.get(d)[0] - left.get(d)[0]);
            }
            assertThat(closest).as("%s: last subtree of node %d", t, p).isCloseTo(t.gap, within(EPS));
        }
    }

    // --- a path, invalid input -----------------------------------------------------------------------

    @Test
    void aPathOf100000NodesDoesNotOverflowTheStack() {
        int n = 100_000;
        int[][] children = new int[n][];
        double[] size = new double[n];
        for (int v = 0; v < n; v++) {
            // numbered from the leaf up, so that indices and depths run in opposite directions
            children[v] = v == 0 ? new int[0] : new int[] {v - 1};
            size[v] = v % 2 == 0 ? 10 : 30;
        }
        double[] x = TidyTreeLayout.layout(n - 1, children, size, 4);
        for (int v = 0; v < n; v++) {
            assertThat(x[v]).as("node %d", v).isEqualTo(15); // single children are aligned with their parents
        }
    }

    @Test
    void aBroomOf100000NodesDoesNotOverflowTheStack() {
        // a path of 50,000 nodes whose last node has 50,000 leaf children
        int n = 100_000;
        int spine = 50_000;
        int[][] children = new int[n][];
        for (int v = 0; v < spine - 1; v++) {
            children[v] = new int[] {v + 1};
        }
        children[spine - 1] = IntStream.range(spine, n).toArray();
        for (int v = spine; v < n; v++) {
            children[v] = new int[0];
        }
        double[] size = new double[n];
        Arrays.fill(size, 2);
        double[] x = TidyTreeLayout.layout(0, children, size, 1);
        double centre = 1 + 3.0 * (n - spine - 1) / 2; // leaves 3 apart, from 1 to 3 * 49,999 + 1
        assertThat(x[0]).isEqualTo(centre);
        assertThat(x[spine - 1]).isEqualTo(centre);
        assertThat(x[spine]).isEqualTo(1);
        assertThat(x[n - 1]).isEqualTo(3.0 * (n - spine - 1) + 1);
    }

    @Test
    void aSingleNodeIsCentredOnHalfItsSize() {
        assertThat(TidyTreeLayout.layout(0, new int[][] {{}}, new double[] {12}, 5)).containsExactly(6);
    }

    @Test
    void aGraphThatIsNotATreeIsRefused() {
        int[][] diamond = {{1, 2}, {3}, {3}, {}};
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, diamond, new double[4], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a tree");
        int[][] cycle = {{1}, {0}};
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, cycle, new double[2], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a tree");
        int[][] outOfRange = {{2}, {}};
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, outOfRange, new double[2], 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TidyTreeLayout.layout(2, new int[][] {{}, {}}, new double[2], 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, new int[][] {{}}, new double[] {-1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, new int[][] {{}}, new double[] {1}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TidyTreeLayout.layout(0, new int[][] {{}}, new double[2], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- small trees worked out by hand ---------------------------------------------------------------

    /**
     * <pre>
     *            ┌ A(20) ┬ a1(40)
     *            │       └ a2(20)
     *     R(20) ─┼ B(10)
     *            └ C(20) ─ c1(60)        gap 10; node 0 is not in the tree
     * </pre>
     * Centre to centre, neighbours are (size + size) / 2 + gap apart. In A's frame a1 = 0 and
     * a2 = 0 + (40 + 20) / 2 + 10 = 40, so A = 20 (the midpoint). On level 1, B = 20 + (20 + 10) / 2 + 10 = 45 and
     * C = 45 + (10 + 20) / 2 + 10 = 70, which puts c1 under C at 70; but c1 must be (20 + 60) / 2 + 10 = 50 right of
     * a2 (40), so C's subtree is pushed 20 further, to C = c1 = 90. The conflict is with A's subtree, so B, the one
     * smaller subtree between A and C, moves half as far: B = 55, midway between A and C. R = (20 + 90) / 2 = 55.
     * The smallest edge is a1's, 0 - 40 / 2 = -20, so everything moves 20 right:
     * R 75, A 40, B 75, C 110, a1 20, a2 60, c1 110.
     */
    @Test
    void aSmallerSubtreeBetweenTwoThatTouchIsCentredBetweenThem() {
        int r = 1, a = 2, b = 3, c = 4, a1 = 5, a2 = 6, c1 = 7;
        int[][] children = new int[8][0];
        children[0] = new int[] {r}; // unreachable: the root is r
        children[r] = new int[] {a, b, c};
        children[a] = new int[] {a1, a2};
        children[c] = new int[] {c1};
        double[] size = {5, 20, 20, 10, 20, 40, 20, 60};
        double[] x = TidyTreeLayout.layout(r, children, size, 10);
        assertThat(x).containsExactly(Double.NaN, 75, 40, 75, 110, 20, 60, 110);
    }

    /**
     * <pre>
     *     R(10) ┬ P(10) ─ p1(30)
     *           └ Q(10) ─ q1(30)         gap 4
     * </pre>
     * P = 0 and Q = 0 + 10 + 4 = 14 on level 1, but the cousins p1 and q1 must be 30 + 4 = 34 apart, so Q's
     * subtree moves 20: Q = q1 = 34, R = 17. The smallest edge is p1's, -15: R 32, P 15, Q 49, p1 15, q1 49.
     */
    @Test
    void cousinsAreKeptGapApart() {
        int[][] children = {{1, 2}, {3}, {4}, {}, {}};
        double[] size = {10, 10, 10, 30, 30};
        assertThat(TidyTreeLayout.layout(0, children, size, 4)).containsExactly(32, 15, 49, 15, 49);
    }

    // --- random trees ---------------------------------------------------------------------------------

    /** A tree to lay out, with what the checks need to know about it. */
    static final class Tree {
        final long seed;
        final String description;
        final int root;
        final int[][] children;
        final double[] size;
        final double gap;
        final boolean[] reachable;

        Tree(long seed, String description, int root, int[][] children, double[] size, double gap) {
            this.seed = seed;
            this.description = description;
            this.root = root;
            this.children = children;
            this.size = size;
            this.gap = gap;
            this.reachable = new boolean[children.length];
            int[] stack = new int[children.length];
            int sp = 0;
            stack[sp++] = root;
            reachable[root] = true;
            while (sp > 0) {
                for (int c : children[stack[--sp]]) {
                    reachable[c] = true;
                    stack[sp++] = c;
                }
            }
        }

        int n() {
            return children.length;
        }

        double[] layout() {
            return TidyTreeLayout.layout(root, children, size, gap);
        }

        /** The same tree with every child list reversed. */
        Tree mirror() {
            int[][] reversed = new int[children.length][];
            for (int v = 0; v < children.length; v++) {
                int[] cs = children[v];
                reversed[v] = new int[cs.length];
                for (int i = 0; i < cs.length; i++) {
                    reversed[v][i] = cs[cs.length - 1 - i];
                }
            }
            return new Tree(seed, description + ", mirrored", root, reversed, size, gap);
        }

        @Override
        public String toString() {
            return "seed " + seed + " (" + description + ")";
        }
    }

    enum Shape { RANDOM_RECURSIVE, DEEP, BUSHY, CATERPILLAR, COMPLETE, PCI }

    enum Sizes { EQUAL, MULTIPLES, CONTINUOUS, WILD }

    /**
     * The random tree of a seed: the shape and the sizes cycle with the seed, the rest is drawn from it. Node
     * indices are shuffled, so that they say nothing of the structure, and a few nodes outside the tree (a small
     * tree of their own) are mixed in.
     */
    static Tree tree(long seed) {
        Random rnd = new Random(seed);
        Shape shape = Shape.values()[(int) (seed % Shape.values().length)];
        Sizes sizes = Sizes.values()[(int) (seed / Shape.values().length % Sizes.values().length)];
        int n = switch ((int) (seed % 7)) {
            case 0 -> 1 + rnd.nextInt(4);
            case 1 -> 5 + rnd.nextInt(30);
            default -> 30 + rnd.nextInt(1200);
        };
        List<List<Integer>> kids = new ArrayList<>();
        generate(shape, n, rnd, kids);
        n = kids.size();
        int outside = rnd.nextInt(4);
        for (int i = 0; i < outside; i++) { // a path of nodes outside the tree
            kids.add(new ArrayList<>(i + 1 < outside ? List.of(n + i + 1) : List.of()));
        }
        int total = kids.size();

        int[] perm = IntStream.range(0, total).toArray(); // generated index -> index in the tree handed over
        for (int i = total - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[][] children = new int[total][];
        double[] size = new double[total];
        double equal = 4 + rnd.nextInt(40);
        for (int v = 0; v < total; v++) {
            children[perm[v]] = kids.get(v).stream().mapToInt(c -> perm[c]).toArray();
            size[perm[v]] = switch (sizes) {
                case EQUAL -> equal;
                case MULTIPLES -> 8 * (1 + rnd.nextInt(5));
                case CONTINUOUS -> rnd.nextDouble() * 60;
                case WILD -> rnd.nextInt(10) == 0 ? 200 + rnd.nextDouble() * 800 // a few huge, many empty
                        : rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextDouble() * 30;
            };
        }
        double gap = switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 7.5;
            default -> rnd.nextDouble() * 40;
        };
        String description = shape + ", " + n + " nodes, " + sizes + " sizes, gap " + gap;
        return new Tree(seed, description, perm[0], children, size, gap);
    }

    /** Builds a tree of about n nodes rooted at 0 into kids (kids.get(v) = v's children, in order). */
    private static void generate(Shape shape, int n, Random rnd, List<List<Integer>> kids) {
        kids.add(new ArrayList<>());
        switch (shape) {
            case RANDOM_RECURSIVE -> { // each new node under a uniformly drawn earlier one: shallow and irregular
                while (kids.size() < n) {
                    add(kids, rnd.nextInt(kids.size()), rnd);
                }
            }
            case DEEP -> { // each new node under one of the last few: long, thin and bumpy
                while (kids.size() < n) {
                    int last = kids.size() - 1;
                    add(kids, Math.max(0, last - rnd.nextInt(4)), rnd);
                }
            }
            case BUSHY -> { // breadth first, 0 to 6 children each, never dying out before n
                int next = 0;
                while (kids.size() < n) {
                    int k = next == kids.size() - 1 ? 1 + rnd.nextInt(6) : rnd.nextInt(7);
                    for (int i = 0; i < k && kids.size() < n; i++) {
                        add(kids, next, rnd);
                    }
                    next = next + 1 < kids.size() ? next + 1 : 0;
                }
            }
            case CATERPILLAR -> { // a spine with short random hairs on both sides
                int spine = 0;
                while (kids.size() < n) {
                    int hairs = rnd.nextInt(4);
                    for (int i = 0; i < hairs && kids.size() < n; i++) {
                        int h = add(kids, spine, rnd);
                        for (int j = rnd.nextInt(3); j > 0 && kids.size() < n; j--) {
                            h = add(kids, h, rnd);
                        }
                    }
                    if (kids.size() < n) {
                        spine = add(kids, spine, rnd);
                    }
                }
            }
            case COMPLETE -> { // every inner node with the same number of children
                int k = 2 + rnd.nextInt(3);
                for (int v = 0; kids.size() < n; v++) {
                    for (int i = 0; i < k && kids.size() < n; i++) {
                        kids.get(v).add(kids.size());
                        kids.add(new ArrayList<>());
                    }
                }
            }
            case PCI -> { // root buses, root ports, switches (sometimes nested), endpoints with 1-8 functions
                while (kids.size() < n) {
                    int bus = add(kids, 0, rnd);
                    for (int p = 1 + rnd.nextInt(8); p > 0 && kids.size() < n; p--) {
                        int port = add(kids, bus, rnd);
                        int parent = port;
                        for (int level = rnd.nextInt(3); level > 0; level--) {
                            int upstream = add(kids, parent, rnd);
                            for (int d = 1 + rnd.nextInt(4); d > 0; d--) {
                                int down = add(kids, upstream, rnd);
                                if (d > 1) {
                                    endpoint(kids, down, rnd);
                                } else {
                                    parent = down;
                                }
                            }
                        }
                        endpoint(kids, parent, rnd);
                    }
                }
            }
            default -> throw new AssertionError(shape);
        }
    }

    private static void endpoint(List<List<Integer>> kids, int parent, Random rnd) {
        int device = add(kids, parent, rnd);
        for (int f = 1 + rnd.nextInt(8); f > 0; f--) {
            add(kids, device, rnd);
        }
    }

    /** Adds a new node under parent, as its first or (more often) last child; returns it. */
    private static int add(List<List<Integer>> kids, int parent, Random rnd) {
        int v = kids.size();
        kids.add(new ArrayList<>());
        List<Integer> cs = kids.get(parent);
        cs.add(rnd.nextInt(5) == 0 ? 0 : cs.size(), v);
        return v;
    }

    // --- helpers of the checks ------------------------------------------------------------------------

    /** The levels of the tree, each left to right: a breadth-first traversal respecting child order. */
    private static List<List<Integer>> levels(Tree t) {
        List<List<Integer>> levels = new ArrayList<>();
        List<Integer> level = List.of(t.root);
        while (!level.isEmpty()) {
            levels.add(level);
            List<Integer> next = new ArrayList<>();
            for (int v : level) {
                for (int c : t.children[v]) {
                    next.add(c);
                }
            }
            level = next;
        }
        return levels;
    }

    /**
     * Folds the subtree of top into extents, per depth below top: the greatest right edge if right, else the
     * least left edge.
     */
    private static void extents(Tree t, double[] x, int top, List<double[]> extents, boolean right) {
        List<Integer> level = List.of(top);
        for (int d = 0; !level.isEmpty(); d++) {
            if (extents.size() == d) {
                extents.add(new double[] {right ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY});
            }
            double[] e = extents.get(d);
            List<Integer> next = new ArrayList<>();
            for (int v : level) {
                e[0] = right ? Math.max(e[0], x[v] + t.size[v] / 2) : Math.min(e[0], x[v] - t.size[v] / 2);
                for (int c : t.children[v]) {
                    next.add(c);
                }
            }
            level = next;
        }
    }

    private static double width(Tree t, double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < t.n(); v++) {
            if (t.reachable[v]) {
                max = Math.max(max, x[v] + t.size[v] / 2);
            }
        }
        return max;
    }
}
