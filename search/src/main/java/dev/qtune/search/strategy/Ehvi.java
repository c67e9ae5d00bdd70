package dev.qtune.search.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact expected hypervolume improvement over a front, for a candidate whose (minimised)
 * objectives are independent normals, in 2 or 3 objectives.
 *
 * <p>The part of objective space below the reference point that the front does not dominate is cut
 * into cells: the grid of the front's coordinates on the first m-1 objectives, each grid cell
 * extended in the last objective from minus infinity up to h, the smallest last objective among
 * front points that dominate the cell's lower corner (the reference, where none does). A sample y
 * improves a cell [l, u) x (-inf, h) by prod_k (u_k - max(y_k, l_k))^+ * (h - y_m)^+, whose
 * expectation factorises into differences of psi(c) = E[(c - Y)^+] (see {@link Gaussian#psi}).
 * Hence EHVI = sum over cells of prod_k (psi_k(u_k) - psi_k(l_k)) * psi_m(h): O(n) cells in 2-D
 * and O(n^2) in 3-D, no sampling.
 */
final class Ehvi {
    private final int m;
    /** Per leading objective: the sorted distinct front coordinates below the reference, then the reference. */
    private final double[][] grid;
    /** The cells' h, flattened over the grid (row-major); indices into {@link #levels}. */
    private final int[] cellLevel;
    /** Distinct h values. */
    private final double[] levels;

    private Ehvi(double[][] grid, int[] cellLevel, double[] levels) {
        this.m = grid.length + 1;
        this.grid = grid;
        this.cellLevel = cellLevel;
        this.levels = levels;
    }

    /** The EHVI of {@code front} (points not strictly below {@code reference} are ignored). */
    static Ehvi of(List<double[]> front, double[] reference) {
        int m = reference.length;
        if (m != 2 && m != 3) {
            throw new IllegalArgumentException("EHVI needs 2 or 3 objectives, but had " + m);
        }
        List<double[]> inside = new ArrayList<>();
        for (double[] p : front) {
            boolean below = true;
            for (int k = 0; k < m; k++) {
                below &= p[k] < reference[k];
            }
            if (below) {
                inside.add(p);
            }
        }
        double[][] grid = new double[m - 1][];
        for (int k = 0; k < m - 1; k++) {
            final int axis = k;
            double[] values = inside.stream()
                    .mapToDouble(p -> p[axis])
                    .sorted()
                    .distinct()
                    .toArray();
            grid[k] = Arrays.copyOf(values, values.length + 1);
            grid[k][values.length] = reference[k];
        }
        double[] levels =
                inside.stream().mapToDouble(p -> p[m - 1]).sorted().distinct().toArray();
        levels = Arrays.copyOf(levels, levels.length + 1);
        levels[levels.length - 1] = reference[m - 1];
        return new Ehvi(grid, cells(inside, grid, levels), levels);
    }

    private static int[] cells(List<double[]> inside, double[][] grid, double[] levels) {
        int m = grid.length + 1;
        int nx = grid[0].length;
        int ny = m == 3 ? grid[1].length : 1;
        int[] cellLevel = new int[nx * ny];
        for (int i = 0; i < nx; i++) {
            double lx = i == 0 ? Double.NEGATIVE_INFINITY : grid[0][i - 1];
            for (int j = 0; j < ny; j++) {
                double ly = m == 2 || j == 0 ? Double.NEGATIVE_INFINITY : grid[1][j - 1];
                double h = levels[levels.length - 1];
                for (double[] p : inside) {
                    if (p[0] <= lx && (m == 2 || p[1] <= ly)) {
                        h = Math.min(h, p[m - 1]);
                    }
                }
                cellLevel[i * ny + j] = Arrays.binarySearch(levels, h);
            }
        }
        return cellLevel;
    }

    /** The expected improvement of a candidate with objective means {@code mu} and deviations {@code sd}. */
    double value(double[] mu, double[] sd) {
        double[] wx = widths(grid[0], mu[0], sd[0]);
        double[] wy = m == 3 ? widths(grid[1], mu[1], sd[1]) : new double[] {1};
        double[] ph = new double[levels.length];
        for (int t = 0; t < levels.length; t++) {
            ph[t] = Gaussian.psi(levels[t], mu[m - 1], sd[m - 1]);
        }
        double sum = 0;
        for (int i = 0; i < wx.length; i++) {
            if (wx[i] == 0) {
                continue;
            }
            int row = i * wy.length;
            for (int j = 0; j < wy.length; j++) {
                sum += wx[i] * wy[j] * ph[cellLevel[row + j]];
            }
        }
        return sum;
    }

    /** psi(upper) - psi(lower) for each grid interval of one objective (lower of the first is -inf). */
    private static double[] widths(double[] axis, double mu, double sd) {
        double[] w = new double[axis.length];
        double previous = 0;
        for (int t = 0; t < axis.length; t++) {
            double psi = Gaussian.psi(axis[t], mu, sd);
            w[t] = Math.max(0, psi - previous);
            previous = psi;
        }
        return w;
    }
}
