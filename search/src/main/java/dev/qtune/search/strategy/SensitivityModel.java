package dev.qtune.search.strategy;

import dev.qtune.search.pareto.Hypervolume;
import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.sensitivity.AdditiveFront;
import dev.qtune.search.sensitivity.SensitivityEntry;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The additive model of a sensitivity table, as the strategies use it to rank configs before they
 * are measured. A genome's predicted top-1 is the base's plus slope x its predicted divergence
 * change (the slope fitted over the table's probes: top-1 change per nat), its predicted latency
 * and size the base's plus the summed per-layer deltas ({@link AdditiveFront} holds the front of
 * the same sums). {@link #fit} then corrects every prediction by the residuals (measured minus
 * predicted) of the measured configs, weighted by exp(-d) for d genes of difference, so a region
 * the model got wrong is re-ranked as soon as one config there is measured.
 */
final class SensitivityModel {
    /** Weight of the zero-residual prior: as much as one measured config two genes away. */
    private static final double PRIOR_WEIGHT = Math.exp(-2);

    private final List<Gene> genes;
    private final int objectives;
    private final SensitivityTable table;
    private final double slope;

    SensitivityModel(List<Gene> genes, int objectives, SensitivityTable table) {
        this.genes = List.copyOf(genes);
        this.objectives = objectives;
        this.table = table;
        this.slope = slope(table);
    }

    /** Top-1 change per nat of divergence change (see {@link #slope(SensitivityTable)}). */
    double slope() {
        return slope;
    }

    /**
     * Top-1 change per nat of divergence change, least squares through the origin over the
     * table's probes (a probe that moves divergence barely says nothing about the slope); -1 (one
     * point per nat lost) when no probe moved divergence.
     */
    static double slope(SensitivityTable t) {
        double xy = 0;
        double xx = 0;
        for (SensitivityEntry e : t.entries()) {
            if (e.ok() && Double.isFinite(e.dDivergence()) && Double.isFinite(e.dTop1())) {
                xy += e.dDivergence() * e.dTop1();
                xx += e.dDivergence() * e.dDivergence();
            }
        }
        return xx > 0 && xy < 0 ? xy / xx : -1;
    }

    /** The uncorrected objectives (top-1 error, latency, [size]) of a predicted point. */
    double[] raw(AdditiveFront.Point p) {
        double top1 = table.baseTop1() + slope * (p.divergence() - table.baseDivergence());
        double[] o = new double[objectives];
        o[0] = 1 - Math.min(Math.max(1, table.baseTop1()), top1); // a fraction stays <= 1; a command's number need not
        o[1] = p.latencyMs();
        if (objectives == 3) {
            o[2] = p.sizeBytes();
        }
        return o;
    }

    /** The additive model's prediction for any genome of the space (schedule genes are ignored). */
    AdditiveFront.Point predictionOf(Genome g) {
        double lat = table.baseLatencyMs();
        double div = table.baseDivergence();
        double size = table.baseSizeBytes();
        boolean[] fp32 = fp32Layers(g);
        for (int i = 0; i < genes.size(); i++) {
            if (g.get(i) == 0 || covered(i, fp32)) {
                continue;
            }
            Optional<SensitivityEntry> e =
                    table.entry(genes.get(i).key(), genes.get(i).value(g.get(i)));
            if (e.isPresent()) {
                lat += e.get().dLatencyMs();
                div += e.get().dDivergence();
                size += e.get().dSizeBytes();
            }
        }
        return new AdditiveFront.Point(g, lat, div, size);
    }

    /** The model corrected by the measured observations (which must not have failed). */
    Fitted fit(List<Observation> measured) {
        List<double[]> residuals = new ArrayList<>();
        for (Observation m : measured) {
            double[] r = raw(predictionOf(m.genome()));
            double[] res = new double[objectives];
            for (int k = 0; k < objectives; k++) {
                res[k] = m.objectives()[k] - r[k];
            }
            residuals.add(res);
        }
        return new Fitted(measured, residuals);
    }

    /** The model after {@link #fit}: corrected predictions and the measured front they compete with. */
    final class Fitted {
        private final List<Observation> measured;
        private final List<double[]> residuals;

        private Fitted(List<Observation> measured, List<double[]> residuals) {
            this.measured = List.copyOf(measured);
            this.residuals = residuals;
        }

        /** The point's predicted objectives, corrected by nearby measured residuals. */
        double[] corrected(AdditiveFront.Point p) {
            double[] o = raw(p);
            double[] shift = new double[o.length];
            double weights = PRIOR_WEIGHT;
            for (int j = 0; j < measured.size(); j++) {
                double w = Math.exp(-distance(p.genome(), measured.get(j).genome()));
                for (int k = 0; k < o.length; k++) {
                    shift[k] += w * residuals.get(j)[k];
                }
                weights += w;
            }
            for (int k = 0; k < o.length; k++) {
                o[k] += shift[k] / weights;
            }
            return o;
        }

        /** A genome's corrected predicted objectives. */
        double[] corrected(Genome g) {
            return corrected(predictionOf(g));
        }

        /** The objectives of the measured Pareto front (a fresh, mutable list). */
        List<double[]> measuredFront() {
            List<double[]> front = new ArrayList<>();
            for (int i : ParetoFront.indices(
                    measured.stream().map(Observation::objectives).toList())) {
                front.add(measured.get(i).objectives());
            }
            return front;
        }

        /**
         * A reference point for hypervolume gains: error 1, and 1.1 x the worst latency (and size)
         * among the base, the measured configs and {@code predicted}.
         */
        double[] reference(List<AdditiveFront.Point> predicted) {
            double[] ref = new double[objectives];
            ref[0] = 1;
            for (int k = 1; k < objectives; k++) {
                double worst = k == 1 ? table.baseLatencyMs() : table.baseSizeBytes();
                for (Observation o : measured) {
                    worst = Math.max(worst, o.objectives()[k]);
                }
                for (AdditiveFront.Point p : predicted) {
                    worst = Math.max(worst, k == 1 ? p.latencyMs() : p.sizeBytes());
                }
                ref[k] = worst * 1.1;
            }
            return ref;
        }

        /**
         * Up to {@code n} of {@code candidates}, chosen greedily by the hypervolume each adds, by
         * its corrected prediction, to the measured front and the ones chosen before it; only
         * candidates with a positive expected gain (over {@code reference}) are chosen.
         */
        List<Genome> mostPromising(List<AdditiveFront.Point> candidates, int n, double[] reference) {
            List<double[]> front = measuredFront();
            List<double[]> predicted = new ArrayList<>();
            for (AdditiveFront.Point p : candidates) {
                predicted.add(corrected(p));
            }
            List<Genome> chosen = new ArrayList<>();
            boolean[] used = new boolean[candidates.size()];
            while (chosen.size() < n) {
                int best = -1;
                double bestGain = 0;
                for (int i = 0; i < candidates.size(); i++) {
                    double gain = used[i] ? 0 : Hypervolume.improvement(front, predicted.get(i), reference);
                    if (gain > bestGain) {
                        best = i;
                        bestGain = gain;
                    }
                }
                if (best < 0) {
                    break;
                }
                used[best] = true;
                front.add(predicted.get(best));
                chosen.add(candidates.get(best).genome());
            }
            return chosen;
        }
    }

    /** Which genes put their layer in fp32 (a skip gene set to true). */
    private boolean[] fp32Layers(Genome g) {
        boolean[] fp32 = new boolean[genes.size()];
        for (int i = 0; i < genes.size(); i++) {
            Gene gene = genes.get(i);
            if (g.get(i) != 0 && gene.is(GeneKind.SKIP) && gene.value(g.get(i)).equals("true")) {
                fp32[i] = true;
            }
        }
        return fp32;
    }

    /** Whether gene i's layer is in fp32 by another gene (its other choices then mean nothing). */
    private boolean covered(int i, boolean[] fp32) {
        for (int j = 0; j < genes.size(); j++) {
            if (fp32[j] && j != i && genes.get(j).layer().equals(genes.get(i).layer())) {
                return true;
            }
        }
        return false;
    }

    private static int distance(Genome a, Genome b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            d += a.get(i) == b.get(i) ? 0 : 1;
        }
        return d;
    }
}
