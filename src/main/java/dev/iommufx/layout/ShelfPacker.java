package dev.iommufx.layout;

/**
 * Packs boxes in rows ("shelves"), in their given order, left to right and wrapping at a row width chosen so
 * that the packed whole comes closest to a wanted aspect ratio (width / height). The order is kept, so a
 * machine reads like the machine: buses and slots left to right, top to bottom.
 *
 * <p>Several row widths around {@code sqrt(area * aspect)} are tried, each packing in O(n); the one whose result
 * is nearest the aspect (on a log scale, so 2:1 too wide weighs as much as 1:2 too tall) wins, and among equals
 * the smaller area. O(n) per call with a fixed number of tries.
 */
final class ShelfPacker {
    private static final double[] TRIES = {0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0};

    /** Where each box went, and the size of the whole. */
    record Packing(double[] x, double[] y, double width, double height) {
    }

    private ShelfPacker() {
    }

    static Packing pack(double[] w, double[] h, double aspect, double gap) {
        int n = w.length;
        if (n == 0) {
            return new Packing(new double[0], new double[0], 0, 0);
        }
        double area = 0;
        double widest = 0;
        for (int i = 0; i < n; i++) {
            area += (w[i] + gap) * (h[i] + gap);
            widest = Math.max(widest, w[i]);
        }
        double base = Math.sqrt(area * aspect);
        Packing best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        for (double f : TRIES) {
            Packing p = shelves(w, h, Math.max(widest, base * f), gap);
            double score = Math.abs(Math.log(p.width / p.height / aspect));
            if (score < bestScore - 1e-9
                    || score < bestScore + 1e-9 && p.width * p.height < best.width * best.height) {
                best = p;
                bestScore = score;
            }
        }
        return best;
    }

    /** Packs in rows no wider than {@code rowWidth} (a box wider than it gets a row of its own). */
    private static Packing shelves(double[] w, double[] h, double rowWidth, double gap) {
        int n = w.length;
        double[] x = new double[n];
        double[] y = new double[n];
        double cx = 0;
        double cy = 0;
        double rowHeight = 0;
        double width = 0;
        for (int i = 0; i < n; i++) {
            if (cx > 0 && cx + w[i] > rowWidth) {
                cy += rowHeight + gap;
                cx = 0;
                rowHeight = 0;
            }
            x[i] = cx;
            y[i] = cy;
            width = Math.max(width, cx + w[i]);
            rowHeight = Math.max(rowHeight, h[i]);
            cx += w[i] + gap;
        }
        return new Packing(x, y, width, cy + rowHeight);
    }
}
