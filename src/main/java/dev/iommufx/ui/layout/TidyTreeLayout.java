package dev.iommufx.ui.layout;

import java.util.Arrays;

/**
 * Tidy drawing of a rooted, ordered tree: Walker's node-positioning algorithm for general trees, in the
 * linear-time form of Buchheim, Jünger and Leipert, generalised to nodes of different sizes along the
 * breadth axis.
 *
 * <p>The algorithm is described in the following papers:
 * <ul>
 * <li>J. Q. Walker II. A node-positioning algorithm for general trees. Software—Practice and Experience.
 * 20(7):685--705, 1990.</li>
 * <li>C. Buchheim, M. Jünger and S. Leipert. Improving Walker's algorithm to run in linear time. In Graph
 * Drawing (GD 2002), Lecture Notes in Computer Science 2528, pages 344--353. Springer, 2002.</li>
 * </ul>
 *
 * <p>Only the breadth axis is computed (the vertical axis of a left-to-right drawing); the caller places the
 * nodes of depth {@code d} at {@code d * columnWidth}. The drawing has these properties:
 * <ul>
 * <li>on every level, nodes keep the left-to-right order of the tree, and the boxes of neighbouring nodes,
 * siblings and cousins alike, are at least {@code gap} apart;</li>
 * <li>a parent is centred between its first and last child (so a single child is aligned with its parent);</li>
 * <li>each subtree is pushed against its left siblings' subtrees until, on some level, two boxes are exactly
 * {@code gap} apart; when it is pushed away from a sibling that is not its neighbour, the smaller subtrees
 * between the two are spread out evenly
 * (Walker's apportioning, made linear by Buchheim et al.: shifts are recorded in O(1) and executed once per
 * family, and the greatest distinct ancestor is found in O(1) through the {@code ancestor} pointers);</li>
 * <li>a subtree is drawn the same wherever it occurs in the tree, up to a translation;</li>
 * <li>a tree and its mirror image (every child list reversed) are drawn as mirror images of each other, for
 * equal and for different node sizes.</li>
 * </ul>
 *
 * <p>Different node sizes only change the separation of two neighbouring nodes on a level, which becomes
 * {@code (size[a] + size[b]) / 2 + gap} between their centres. Since the contours the algorithm walks are
 * exactly the extreme nodes of each level, this keeps the algorithm exact and linear.
 *
 * <p>The algorithm runs in O(n) time and O(n) memory, n being the length of the input arrays: each walk visits
 * every node reachable from the root once, and the contour walks of all the apportioning steps together take
 * O(n) (Buchheim et al.). There is no recursion: the first walk runs over an explicit post-order and the second
 * over the matching pre-order, so a path of any length fits in the call stack. The result depends only on the
 * arguments. The class is stateless and thread-safe; it uses no JavaFX and may run on any thread.
 */
public final class TidyTreeLayout {

    private TidyTreeLayout() {
    }

    /**
     * Lays out the tree hanging from {@code root}.
     *
     * @param root     index of the root node
     * @param children children[i] = indices of node i's children, in drawing order (may be empty arrays, never null)
     * @param size     size[i] = extent of node i along the breadth axis (its height in a left-to-right drawing)
     * @param gap      minimum distance between neighbouring nodes' boxes on the same level (siblings AND cousins)
     * @return breadth[i] = coordinate of the CENTRE of node i along the breadth axis; the smallest box edge is at 0.
     *         Nodes not reachable from root get NaN.
     * @throws IllegalArgumentException if the arrays differ in length, {@code root} or a child index is out of
     *         range, a node is reachable twice from the root (the graph is not a tree), a reachable node's size is
     *         negative or not finite, or {@code gap} is negative or not finite
     */
    public static double[] layout(int root, int[][] children, double[] size, double gap) {
        if (children.length != size.length) {
            throw new IllegalArgumentException(
                    "children has " + children.length + " entries but size has " + size.length);
        }
        if (root < 0 || root >= children.length) {
            throw new IllegalArgumentException("root " + root + " is not a node index (0.." + children.length + ")");
        }
        if (!(gap >= 0) || Double.isInfinite(gap)) {
            throw new IllegalArgumentException("gap must be finite and non-negative, not " + gap);
        }
        return new Walk(root, children, size, gap).run();
    }

    /** The working state of one layout: per-node arrays indexed like the input. */
    private static final class Walk {
        private static final int NONE = -1;

        private final int root;
        private final int[][] children;
        private final double[] size;
        private final double gap;
        private final int n;

        /** Parent of each reachable node ({@code NONE} for the root and unreached nodes). */
        private final int[] parent;
        /** Position of each reachable node among its siblings, 0-based (Walker's "number", minus one). */
        private final int[] number;
        /** Preliminary centre, relative to the parent's subtree frame. */
        private final double[] prelim;
        /** Offset added to the whole subtree below the node (not to the node itself). */
        private final double[] mod;
        /** Contour thread of a leaf: the next node of its subtree's contour in a left sibling's subtree. */
        private final int[] thread;
        /** Buchheim's ancestor pointer, used to find the greatest distinct ancestor in O(1). */
        private final int[] ancestor;
        /** Pending shift of the subtree (Buchheim's shift), executed once per family. */
        private final double[] shift;
        /** Pending change of the shift per sibling (Buchheim's change). */
        private final double[] change;
        /**
         * Default ancestor of each family (Buchheim's defaultAncestor, a local of the recursive FIRSTWALK): the
         * child to which the contour nodes of the left forest belong when their {@code ancestor} is stale.
         */
        private final int[] defaultAncestor;

        /** Reachable nodes in pre-order, each parent's children right to left; reversed, a post-order. */
        private final int[] order;
        private int count;

        Walk(int root, int[][] children, double[] size, double gap) {
            this.root = root;
            this.children = children;
            this.size = size;
            this.gap = gap;
            this.n = children.length;
            parent = new int[n];
            number = new int[n];
            prelim = new double[n];
            mod = new double[n];
            thread = new int[n];
            ancestor = new int[n];
            shift = new double[n];
            change = new double[n];
            defaultAncestor = new int[n];
            order = new int[n];
        }

        double[] run() {
            collect();
            for (int k = count - 1; k >= 0; k--) { // post-order, children left to right
                firstWalkFinish(order[k]);
            }
            return secondWalk();
        }

        /**
         * Lists the nodes reachable from the root in {@link #order} with an explicit stack, checking that the
         * graph is a tree; sets parent, number, thread and ancestor.
         */
        private void collect() {
            Arrays.fill(parent, NONE);
            boolean[] seen = new boolean[n];
            int[] stack = new int[n]; // every node is pushed at most once
            int sp = 0;
            stack[sp++] = root;
            seen[root] = true;
            while (sp > 0) {
                int v = stack[--sp];
                order[count++] = v;
                double s = size[v];
                if (!(s >= 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException("size of node " + v + " must be finite and non-negative, not "
                            + s);
                }
                thread[v] = NONE;
                ancestor[v] = v;
                int[] cs = children[v];
                if (cs.length > 0) {
                    defaultAncestor[v] = cs[0];
                }
                for (int i = 0; i < cs.length; i++) {
                    int c = cs[i];
                    if (c < 0 || c >= n) {
                        throw new IllegalArgumentException("node " + v + " has child " + c + ", not a node index");
                    }
                    if (seen[c]) {
                        throw new IllegalArgumentException("node " + c + " is reached twice from root " + root
                                + " (again as a child of " + v + "): not a tree");
                    }
                    seen[c] = true;
                    parent[c] = v;
                    number[c] = i;
                    stack[sp++] = c;
                }
            }
        }

        /** Centre-to-centre separation of two neighbours on a level. */
        private double distance(int a, int b) {
            return (size[a] + size[b]) * 0.5 + gap;
        }

        private int leftSibling(int v) {
            int p = parent[v];
            return p == NONE || number[v] == 0 ? NONE : children[p][number[v] - 1];
        }

        private int nextLeft(int v) {
            int[] cs = children[v];
            return cs.length > 0 ? cs[0] : thread[v];
        }

        private int nextRight(int v) {
            int[] cs = children[v];
            return cs.length > 0 ? cs[cs.length - 1] : thread[v];
        }

        /**
         * The end of Walker's FIRSTWALK(v), once all of v's children are done, followed by the APPORTION(v) its
         * parent runs right after it: the post-order runs the recursive algorithm's steps in the same order.
         */
        private void firstWalkFinish(int v) {
            int[] cs = children[v];
            int w = leftSibling(v);
            if (cs.length == 0) {
                prelim[v] = w == NONE ? 0 : prelim[w] + distance(w, v);
            } else {
                executeShifts(v);
                double midpoint = (prelim[cs[0]] + prelim[cs[cs.length - 1]]) * 0.5;
                if (w == NONE) {
                    prelim[v] = midpoint;
                } else {
                    prelim[v] = prelim[w] + distance(w, v);
                    mod[v] = prelim[v] - midpoint;
                }
            }
            if (w != NONE) {
                apportion(v, w);
            }
        }

        /**
         * Buchheim et al.'s APPORTION: pushes the subtree of v right of the forest of its left siblings, walking
         * down the inner contours (v's left one, the forest's right one) and the outer ones (for the threads).
         * {@code w} is v's left sibling.
         */
        private void apportion(int v, int w) {
            int p = parent[v];
            int vip = v;
            int vop = v;
            int vim = w;
            int vom = children[p][0];
            double sip = mod[vip];
            double sop = mod[vop];
            double sim = mod[vim];
            double som = mod[vom];
            int nrm = nextRight(vim);
            int nlp = nextLeft(vip);
            while (nrm != NONE && nlp != NONE) {
                vim = nrm;
                vip = nlp;
                vom = nextLeft(vom);
                vop = nextRight(vop);
                ancestor[vop] = v;
                double s = (prelim[vim] + sim) - (prelim[vip] + sip) + distance(vim, vip);
                if (s > 0) {
                    moveSubtree(greatestDistinctAncestor(vim, v, p), v, s);
                    sip += s;
                    sop += s;
                }
                sim += mod[vim];
                sip += mod[vip];
                som += mod[vom];
                sop += mod[vop];
                nrm = nextRight(vim);
                nlp = nextLeft(vip);
            }
            if (nrm != NONE && nextRight(vop) == NONE) {
                thread[vop] = nrm;
                mod[vop] += sim - sop;
            }
            if (nlp != NONE && nextLeft(vom) == NONE) {
                thread[vom] = nlp;
                mod[vom] += sip - som;
                defaultAncestor[p] = v;
            }
        }

        /** Buchheim's ANCESTOR(vim, v, defaultAncestor): the left sibling of v whose subtree holds vim. */
        private int greatestDistinctAncestor(int vim, int v, int p) {
            int a = ancestor[vim];
            return parent[a] == p && a != v ? a : defaultAncestor[p];
        }

        /** Moves the subtree of wr right by s, and records the even spreading of the subtrees between wl and wr. */
        private void moveSubtree(int wl, int wr, double s) {
            double subtrees = number[wr] - number[wl];
            change[wr] -= s / subtrees;
            shift[wr] += s;
            change[wl] += s / subtrees;
            prelim[wr] += s;
            mod[wr] += s;
        }

        /** Executes, right to left, the shifts recorded by {@link #moveSubtree} on v's children. */
        private void executeShifts(int v) {
            double s = 0;
            double c = 0;
            int[] cs = children[v];
            for (int i = cs.length - 1; i >= 0; i--) {
                int w = cs[i];
                prelim[w] += s;
                mod[w] += s;
                c += change[w];
                s += shift[w] + c;
            }
        }

        /** Absolute centres: prelim plus the mods of all proper ancestors, then translated to start at 0. */
        private double[] secondWalk() {
            double[] x = new double[n];
            Arrays.fill(x, Double.NaN);
            double[] modSum = shift; // no longer needed: reused for the sum of the ancestors' mods
            modSum[root] = 0;
            double minEdge = Double.POSITIVE_INFINITY;
            for (int k = 0; k < count; k++) { // pre-order: parents before children
                int v = order[k];
                double m = modSum[v];
                x[v] = prelim[v] + m;
                minEdge = Math.min(minEdge, x[v] - size[v] * 0.5);
                double below = m + mod[v];
                for (int c : children[v]) {
                    modSum[c] = below;
                }
            }
            for (int k = 0; k < count; k++) {
                x[order[k]] -= minEdge;
            }
            return x;
        }
    }
}
