package dev.qtune.search.strategy;

import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Everything an acquisition needs during one ask of the Bayesian searcher: the candidates (encoded),
 * the training data with objectives scaled to [0, 1] by their observed ranges (failed trials left
 * out), one Gaussian-process posterior per objective over the candidates, the feasibility model,
 * the current feasible front with its reference point, and the candidates already chosen for the
 * batch. {@link #believe(int)} applies the kriging believer: the chosen candidate joins the data at
 * its posterior means (and joins the front when believed feasible), so the next choice differs.
 */
final class AcquisitionContext {
    private final List<Genome> candidates;
    private final double[][] cx;
    private final double[][] baseDistances;
    private final List<double[]> extraColumns = new ArrayList<>();
    private final List<double[]> trainX = new ArrayList<>();
    private final List<double[]> trainY = new ArrayList<>();
    private final List<Boolean> trainFeasible = new ArrayList<>();
    private final CandidatePosterior[] objectives;
    private final FeasibilityModel feasibility;
    private final List<double[]> front;
    private final double[] reference;
    private final boolean[] chosen;

    private AcquisitionContext(
            List<Genome> candidates,
            double[][] cx,
            double[][] distances,
            CandidatePosterior[] objectives,
            FeasibilityModel feasibility,
            double[] reference) {
        this.candidates = candidates;
        this.cx = cx;
        this.baseDistances = distances;
        this.objectives = objectives;
        this.feasibility = feasibility;
        this.reference = reference;
        this.front = new ArrayList<>();
        this.chosen = new boolean[candidates.size()];
    }

    /** Fits the models to {@code data} (trials that ran) and evaluates them on {@code candidates}. */
    static AcquisitionContext fit(List<Observation> data, GenomeEncoder encoder, List<Genome> candidates, int m) {
        double[][] x = encoder.encode(data.stream().map(Observation::genome).toList());
        double[][] y = scaled(data, m);
        double[][] trainD2 = GenomeEncoder.squaredDistances(x, x);
        double[][] cx = encoder.encode(candidates);
        double[][] d2 = GenomeEncoder.squaredDistances(cx, x);
        CandidatePosterior[] posteriors = new CandidatePosterior[m];
        for (int k = 0; k < m; k++) {
            final int objective = k;
            double[] target =
                    Arrays.stream(y).mapToDouble(row -> row[objective]).toArray();
            posteriors[k] = GaussianProcess.fit(trainD2, target).posterior(cx, d2);
        }
        FeasibilityModel feasibility = FeasibilityModel.fit(data, trainD2, cx, d2);
        double[] reference = reference(data, y, m);
        AcquisitionContext context = new AcquisitionContext(candidates, cx, d2, posteriors, feasibility, reference);
        for (int i = 0; i < data.size(); i++) {
            context.trainX.add(x[i]);
            context.trainY.add(y[i]);
            context.trainFeasible.add(data.get(i).feasible());
        }
        context.front.addAll(feasibleFront(y, data));
        return context;
    }

    private static double[][] scaled(List<Observation> data, int m) {
        double[][] y = new double[data.size()][m];
        for (int k = 0; k < m; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Observation o : data) {
                lo = Math.min(lo, o.objectives()[k]);
                hi = Math.max(hi, o.objectives()[k]);
            }
            double span = hi - lo > 0 ? hi - lo : 1;
            for (int i = 0; i < data.size(); i++) {
                y[i][k] = (data.get(i).objectives()[k] - lo) / span;
            }
        }
        return y;
    }

    /** Scaled worst feasible value + 0.1 per objective (1.1 while nothing is feasible). */
    private static double[] reference(List<Observation> data, double[][] y, int m) {
        double[] ref = new double[m];
        Arrays.fill(ref, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < y.length; i++) {
            if (data.get(i).feasible()) {
                for (int k = 0; k < m; k++) {
                    ref[k] = Math.max(ref[k], y[i][k]);
                }
            }
        }
        for (int k = 0; k < m; k++) {
            ref[k] = (Double.isFinite(ref[k]) ? ref[k] : 1) + 0.1;
        }
        return ref;
    }

    private static List<double[]> feasibleFront(double[][] y, List<Observation> data) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            idx.add(i);
        }
        return ParetoFront.feasibleIndices(idx, i -> data.get(i).feasible(), i -> y[i]).stream()
                .map(i -> y[i])
                .toList();
    }

    int size() {
        return candidates.size();
    }

    int objectives() {
        return objectives.length;
    }

    double[] means(int i) {
        double[] mu = new double[objectives.length];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = objectives[k].mean(i);
        }
        return mu;
    }

    double[] sds(int i) {
        double[] sd = new double[objectives.length];
        for (int k = 0; k < sd.length; k++) {
            sd[k] = objectives[k].sd(i);
        }
        return sd;
    }

    /** Probability that candidate {@code i} is feasible (1 while no infeasible trial was seen). */
    double feasibility(int i) {
        return feasibility == null ? 1 : feasibility.probability(i);
    }

    List<double[]> front() {
        return List.copyOf(front);
    }

    double[] reference() {
        return reference.clone();
    }

    double[][] encodedCandidates() {
        return cx;
    }

    /** Training inputs, scaled objectives and feasibility, believed points included. */
    List<double[]> trainingX() {
        return List.copyOf(trainX);
    }

    List<double[]> trainingObjectives() {
        return List.copyOf(trainY);
    }

    List<Boolean> trainingFeasible() {
        return List.copyOf(trainFeasible);
    }

    /** Squared distances candidates x training points, believed points included. */
    double[][] candidateDistances() {
        if (extraColumns.isEmpty()) {
            return baseDistances;
        }
        int n = baseDistances.length == 0 ? 0 : baseDistances[0].length;
        double[][] d = new double[cx.length][];
        for (int c = 0; c < cx.length; c++) {
            d[c] = Arrays.copyOf(baseDistances[c], n + extraColumns.size());
            for (int t = 0; t < extraColumns.size(); t++) {
                d[c][n + t] = extraColumns.get(t)[c];
            }
        }
        return d;
    }

    /**
     * The unchosen candidate with the largest positive score; when no score is positive (every
     * improvement underflowed), the one with the largest feasibility-weighted uncertainty; -1 when
     * every candidate is chosen.
     */
    int best(IntToDoubleFunction score) {
        int best = argmax(score);
        if (best >= 0 && score.applyAsDouble(best) > 0) {
            return best;
        }
        return argmax(i -> feasibility(i) * Arrays.stream(sds(i)).sum());
    }

    private int argmax(IntToDoubleFunction score) {
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < chosen.length; i++) {
            if (!chosen[i]) {
                double s = score.applyAsDouble(i);
                if (best < 0 || s > bestValue) {
                    best = i;
                    bestValue = s;
                }
            }
        }
        return best;
    }

    /** Kriging believer: candidate {@code j} is taken as observed at its posterior means. */
    void believe(int j) {
        chosen[j] = true;
        double[] mu = means(j);
        boolean feasible = feasibility == null || feasibility.believe(j);
        for (CandidatePosterior p : objectives) {
            p.believe(j);
        }
        double[] column = new double[cx.length];
        for (int c = 0; c < cx.length; c++) {
            column[c] = GenomeEncoder.squaredDistance(cx[c], cx[j]);
        }
        extraColumns.add(column);
        trainX.add(cx[j]);
        trainY.add(mu);
        trainFeasible.add(feasible);
        if (feasible) {
            front.add(mu);
        }
    }
}
