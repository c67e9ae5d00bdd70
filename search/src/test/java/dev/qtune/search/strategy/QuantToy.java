package dev.qtune.search.strategy;

import dev.qtune.search.pareto.Hypervolume;
import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.sensitivity.SensitivityEntry;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;

/**
 * A quantization-like toy for the model-based strategies: eight layers, each with weight bits
 * (8, 6, 4), calibration (kl, percentile) and fp32 fall-back. Uniform int8 loses 0.8 point,
 * almost all of it in the last layer, whose fp32 fall-back is cheap; the other layers' fall-back
 * is expensive; percentile helps every layer a little; weights below 8 bits lose accuracy and save
 * size only; the true error has a pairwise interaction the additive model does not know.
 */
final class QuantToy {
    static final int LAYERS = 8;
    static final double FP32_ERROR = 0.10;
    static final double BASE_LATENCY = 1.0;

    private QuantToy() {}

    static List<Gene> genes() {
        List<Gene> g = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            g.add(new Gene("l" + l, "weight_bits", List.of("8", "6", "4"), true));
            g.add(new Gene("l" + l, "calibration", List.of("kl", "percentile"), false));
            g.add(new Gene("l" + l, "skip", List.of("false", "true"), false));
        }
        return g;
    }

    /** Top-1 error and latency of a genome (the "measurement"). */
    static double[] truth(Genome g) {
        double error = FP32_ERROR;
        double latency = BASE_LATENCY;
        int lowBits = 0;
        for (int l = 0; l < LAYERS; l++) {
            boolean fp32 = g.get(3 * l + 2) == 1;
            if (fp32) {
                latency += l == LAYERS - 1 ? 0.01 : 0.5;
                continue;
            }
            double layerLoss = l == LAYERS - 1 ? 0.007 : 0.000125;
            error += g.get(3 * l + 1) == 1 ? layerLoss * 0.8 : layerLoss;
            error += g.get(3 * l) * 0.004;
            lowBits += g.get(3 * l) > 0 ? 1 : 0;
        }
        error += lowBits >= 2 ? 0.002 * (lowBits - 1) : 0; // an interaction no one-at-a-time probe sees
        return new double[] {error, latency};
    }

    /** The sensitivity table as one-at-a-time probes of the truth would give it (divergence ~ error change). */
    static SensitivityTable table(List<Gene> genes) {
        double[] base = truth(Genome.of(new int[genes.size()]));
        List<SensitivityEntry> es = new ArrayList<>();
        for (int i = 0; i < genes.size(); i++) {
            for (int v = 1; v < genes.get(i).cardinality(); v++) {
                int[] values = new int[genes.size()];
                values[i] = v;
                double[] t = truth(Genome.of(values));
                double dErr = t[0] - base[0];
                es.add(new SensitivityEntry(
                        genes.get(i).layer(),
                        genes.get(i).kind(),
                        genes.get(i).value(v),
                        true,
                        "",
                        2 * dErr,
                        -dErr,
                        -dErr,
                        t[1] - base[1],
                        0));
            }
        }
        return new SensitivityTable(2 * (base[0] - FP32_ERROR), 1 - base[0], 0.99, base[1], 1000, 0.001, 5000, es);
    }

    /**
     * Runs {@code generations} full asks of {@code batch} against the truth and returns the
     * hypervolume of the measured front against the reference (error 0.2, latency 2 x base).
     */
    static double hypervolume(Searcher s, int generations, int batch) {
        List<double[]> measured = new ArrayList<>();
        for (int gen = 0; gen < generations; gen++) {
            List<Observation> told = new ArrayList<>();
            for (Genome g : s.ask(batch)) {
                double[] t = truth(g);
                measured.add(t);
                told.add(Observation.ok(g, t, 0));
            }
            s.tell(told);
        }
        List<double[]> front = new ArrayList<>();
        for (int i : ParetoFront.indices(measured)) {
            front.add(measured.get(i));
        }
        return Hypervolume.of(front, new double[] {0.2, 2 * BASE_LATENCY});
    }
}
