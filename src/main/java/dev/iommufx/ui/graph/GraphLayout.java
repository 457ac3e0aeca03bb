package dev.iommufx.ui.graph;

import dev.iommufx.ui.layout.TidyTreeLayout;
import dev.iommufx.ui.viewmodel.TreeSnapshot;
import java.util.Arrays;

/**
 * Where each tree node goes: depth left to right in columns, breadth by the tidy-tree algorithm.
 * Pure computation on a {@link TreeSnapshot}; depends only on the tree, never on ownership, so
 * recolouring never moves anything.
 */
public final class GraphLayout {
    public static final double NODE_WIDTH = 250;
    public static final double NODE_HEIGHT = 44;
    public static final double ROOT_WIDTH = 150;
    public static final double COLUMN = 300;
    /** Vertical gap between nodes: room for a group box's header. */
    public static final double GAP = 30;
    public static final double MARGIN = 40;

    private final double[] x;
    private final double[] y;
    private final double width;
    private final double height;

    private GraphLayout(double[] x, double[] y, double width, double height) {
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
    }

    public static GraphLayout compute(TreeSnapshot tree) {
        int n = tree.size();
        double[] size = new double[n];
        Arrays.fill(size, NODE_HEIGHT);
        double[] centre = TidyTreeLayout.layout(0, shallowFirst(tree.children()), size, GAP);
        double[] x = new double[n];
        double[] y = new double[n];
        double maxX = 0;
        double maxY = 0;
        for (int i = 1; i < n; i++) {
            int depth = tree.depth()[i];
            x[i] = MARGIN + (depth == 1 ? 0 : ROOT_WIDTH + 50 + (depth - 2) * COLUMN);
            y[i] = MARGIN + centre[i] - NODE_HEIGHT / 2;
            maxX = Math.max(maxX, x[i] + NODE_WIDTH);
            maxY = Math.max(maxY, y[i] + NODE_HEIGHT);
        }
        return new GraphLayout(x, y, maxX + MARGIN, maxY + MARGIN);
    }

    /**
     * Each node's children with the shallower subtrees first (stable otherwise). A group box spans every column its
     * members are in, so a group reaching deep down is drawn last, below its shallower cousins, instead of across
     * them (a chipset's group around its ports and endpoints would otherwise cover the next root port's card).
     */
    static int[][] shallowFirst(int[][] children) {
        int n = children.length;
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        int count = 0;
        int[] stack = new int[n];
        int top = 0;
        stack[top++] = 0;
        seen[0] = true;
        while (top > 0) { // pre-order without recursion: a bridge chain of any length fits
            int v = stack[--top];
            order[count++] = v;
            for (int c : children[v]) {
                if (!seen[c]) {
                    seen[c] = true;
                    stack[top++] = c;
                }
            }
        }
        int[] height = new int[n];
        for (int i = count - 1; i >= 0; i--) {
            int v = order[i];
            for (int c : children[v]) {
                height[v] = Math.max(height[v], height[c] + 1);
            }
        }
        int[][] out = new int[n][];
        for (int v = 0; v < n; v++) {
            Integer[] kids = Arrays.stream(children[v]).boxed().toArray(Integer[]::new);
            Arrays.sort(kids, java.util.Comparator.comparingInt(c -> height[c])); // stable: address order kept
            out[v] = Arrays.stream(kids).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    public double x(int node) {
        return x[node];
    }

    public double y(int node) {
        return y[node];
    }

    /** Right edge of the tree: the driver lane starts beyond it. */
    public double width() {
        return width;
    }

    public double height() {
        return height;
    }
}
