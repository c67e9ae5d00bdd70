package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.List;

/**
 * Genomes as points in R^d for a surrogate model. An ordered gene is one coordinate,
 * index / (cardinality - 1), in [0, 1]; a categorical gene is one-hot over its values, scaled by
 * 1/sqrt(2) so that changing a category moves the point by distance 1, like the largest change
 * of an ordered gene. Genes with a single value add nothing.
 */
final class GenomeEncoder {
    private static final double ONE_HOT = 1 / Math.sqrt(2);

    private final List<Gene> genes;
    private final int[] offsets;
    private final int width;

    GenomeEncoder(List<Gene> genes) {
        this.genes = List.copyOf(genes);
        this.offsets = new int[genes.size()];
        int w = 0;
        for (int i = 0; i < genes.size(); i++) {
            offsets[i] = w;
            w += features(genes.get(i));
        }
        this.width = w;
    }

    private static int features(Gene g) {
        if (g.cardinality() == 1) {
            return 0;
        }
        return g.ordered() ? 1 : g.cardinality();
    }

    int width() {
        return width;
    }

    double[] encode(Genome genome) {
        double[] x = new double[width];
        for (int i = 0; i < genes.size(); i++) {
            Gene g = genes.get(i);
            if (g.cardinality() == 1) {
                continue;
            }
            if (g.ordered()) {
                x[offsets[i]] = genome.get(i) / (double) (g.cardinality() - 1);
            } else {
                x[offsets[i] + genome.get(i)] = ONE_HOT;
            }
        }
        return x;
    }

    double[][] encode(List<Genome> genomes) {
        double[][] x = new double[genomes.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = encode(genomes.get(i));
        }
        return x;
    }

    /** Squared Euclidean distances between every row of {@code a} and every row of {@code b}. */
    static double[][] squaredDistances(double[][] a, double[][] b) {
        double[][] d = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                d[i][j] = squaredDistance(a[i], b[j]);
            }
        }
        return d;
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            s += t * t;
        }
        return s;
    }
}
