package dev.qtune.search.strategy;

import dev.qtune.search.pareto.Hypervolume;
import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic fake evaluator for strategy tests: a bi-objective toy with genes of cardinality
 * 2 to 6 ("bit widths" that trade error for latency, every fourth gene a category with its own
 * error/latency table), an interaction term between neighbouring genes, an error constraint and a
 * failure region (genes 0 and 1 both at value 0 fail).
 */
final class ToyProblem {
    private static final int[] CARDS = {2, 3, 4, 5, 6};

    private final List<Gene> genes;
    private final double errorLimit;

    ToyProblem(int geneCount) {
        List<Gene> g = new ArrayList<>();
        for (int i = 0; i < geneCount; i++) {
            int card = CARDS[i % CARDS.length];
            List<String> values = new ArrayList<>();
            for (int v = 0; v < card; v++) {
                values.add(String.valueOf(v));
            }
            g.add(new Gene("layer" + i, i % 4 == 3 ? "calibration" : "bits", values, i % 4 != 3));
        }
        this.genes = List.copyOf(g);
        this.errorLimit = 0.45 * geneCount;
    }

    List<Gene> genes() {
        return genes;
    }

    double[] reference() {
        double latency = 0;
        for (int i = 0; i < genes.size(); i++) {
            latency += latencyWeight(i);
        }
        return new double[] {errorLimit, latency};
    }

    Observation evaluate(Genome genome) {
        if (genome.get(0) == 0 && genome.get(1) == 0) {
            return Observation.failed(genome);
        }
        double error = 0;
        double latency = 0;
        double previous = Double.NaN;
        for (int i = 0; i < genes.size(); i++) {
            int card = genes.get(i).cardinality();
            int v = genome.get(i);
            if (genes.get(i).ordered()) {
                double x = v / (double) (card - 1);
                error += errorWeight(i) * (1 - x) * (1 - x);
                latency += latencyWeight(i) * x;
                if (!Double.isNaN(previous)) {
                    error += 0.3 * Math.abs(x - previous);
                }
                previous = x;
            } else {
                error += errorWeight(i) * ((v * 3 + i) % card) / (double) card;
                latency += latencyWeight(i) * ((v * 2 + i + 1) % card) / (double) card;
            }
        }
        return Observation.ok(genome, new double[] {error, latency}, Math.max(0, error - errorLimit));
    }

    private static double errorWeight(int i) {
        return 0.5 + (i % 3) * 0.5;
    }

    private static double latencyWeight(int i) {
        return 1 + ((i * 5) % 4) / 2.0;
    }

    /** Hypervolume of the feasible front of {@code observations} up to {@link #reference()}. */
    double hypervolume(List<Observation> observations) {
        List<double[]> front =
                ParetoFront.feasibleIndices(observations, Observation::feasible, Observation::objectives).stream()
                        .map(i -> observations.get(i).objectives())
                        .toList();
        return Hypervolume.of(front, reference());
    }
}
