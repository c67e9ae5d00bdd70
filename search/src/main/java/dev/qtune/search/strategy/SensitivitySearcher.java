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
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model-based strategy ({@code sensitivity}): the front an additive model of the sensitivity
 * table predicts ({@link AdditiveFront}), measured for real, the model corrected by what it
 * measured. A point's predicted top-1 is the base's plus slope x its predicted divergence change
 * (the slope fitted over the table's probes: top-1 change per nat), its predicted latency and size
 * the additive sums; each prediction is then corrected by the residuals (measured minus predicted)
 * of the measured configs, weighted by exp(-d) for d genes of difference, so a region the model
 * got wrong is re-ranked as soon as one config there is measured. Each ask takes, greedily, the
 * unmeasured predicted points of largest expected hypervolume gain over everything measured (and
 * chosen so far in the batch). When the predicted front is spent, it asks mutations of the
 * measured front, as a local search.
 */
public final class SensitivitySearcher implements Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(SensitivitySearcher.class);
    /** Most points the predicted front keeps (see {@link AdditiveFront}). */
    private static final int CAP = 4000;

    private final SensitivitySpec spec;
    private final List<Gene> genes;
    private final int objectives;
    private final SensitivityTable table;
    private final List<AdditiveFront.Point> predicted;
    private final double slope;
    private final History history;
    private final GenomeSampler sampler;
    private final SplittableRandom random;

    SensitivitySearcher(SensitivitySpec spec, List<Gene> genes, int objectives, SensitivityTable table) {
        this.spec = spec;
        this.genes = List.copyOf(genes);
        this.objectives = objectives;
        this.table = table;
        this.predicted = AdditiveFront.of(genes, table, objectives == 3, CAP);
        this.slope = slope(table);
        this.history = new History(genes, objectives);
        this.sampler = new GenomeSampler(genes);
        this.random = new SplittableRandom(spec.seed());
        LOG.info(
                "sensitivity: the additive model predicts a front of {} configs (top-1 change per nat of divergence: {})",
                predicted.size(),
                String.format("%.4f", slope));
    }

    @Override
    public String name() {
        return "sensitivity";
    }

    /** The front the model predicts, fastest first (the genomes seeding other strategies come from it). */
    public List<AdditiveFront.Point> predicted() {
        return predicted;
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

    @Override
    public List<Genome> ask(int max) {
        Strategies.checkMax(max);
        int n = Math.min(max, spec.batchSize());
        List<Observation> measured = history.successful();
        List<double[]> front = new ArrayList<>();
        for (int i : ParetoFront.indices(
                measured.stream().map(Observation::objectives).toList())) {
            front.add(measured.get(i).objectives());
        }
        double[] reference = reference(measured);
        List<double[]> residuals = new ArrayList<>();
        for (Observation m : measured) {
            double[] r = raw(predictionOf(m.genome()));
            double[] res = new double[objectives];
            for (int k = 0; k < objectives; k++) {
                res[k] = m.objectives()[k] - r[k];
            }
            residuals.add(res);
        }
        List<Genome> batch = new ArrayList<>();
        while (batch.size() < n) {
            Optional<Genome> best = bestPoint(measured, residuals, front, reference, batch);
            if (best.isEmpty()) {
                break;
            }
            batch.add(best.get());
        }
        while (batch.size() < n) {
            Optional<Genome> g = localMove(measured, batch);
            if (g.isEmpty()) {
                break;
            }
            batch.add(g.get());
        }
        history.markPending(batch);
        return List.copyOf(batch);
    }

    private Optional<Genome> bestPoint(
            List<Observation> measured,
            List<double[]> residuals,
            List<double[]> front,
            double[] reference,
            List<Genome> batch) {
        AdditiveFront.Point best = null;
        double bestGain = 0;
        double[] bestObjectives = null;
        for (AdditiveFront.Point p : predicted) {
            if (history.isTaken(p.genome()) || batch.contains(p.genome())) {
                continue;
            }
            double[] o = corrected(p, measured, residuals);
            double gain = Hypervolume.improvement(front, o, reference);
            if (gain > bestGain) {
                best = p;
                bestGain = gain;
                bestObjectives = o;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        front.add(bestObjectives);
        return Optional.of(best.genome());
    }

    /** The point's predicted objectives (top-1 error, latency, [size]), corrected by nearby measured residuals. */
    private double[] corrected(AdditiveFront.Point p, List<Observation> measured, List<double[]> residuals) {
        double[] o = raw(p);
        double[] shift = new double[o.length];
        double weights = Math.exp(-2); // a prior: zero residual, as much weight as a config two genes away
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

    private double[] raw(AdditiveFront.Point p) {
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
    private AdditiveFront.Point predictionOf(Genome g) {
        double lat = table.baseLatencyMs();
        double div = table.baseDivergence();
        double size = table.baseSizeBytes();
        boolean[] fp32 = new boolean[genes.size()];
        for (int i = 0; i < genes.size(); i++) {
            Gene gene = genes.get(i);
            if (g.get(i) != 0 && gene.is(GeneKind.SKIP) && gene.value(g.get(i)).equals("true")) {
                fp32[i] = true;
            }
        }
        for (int i = 0; i < genes.size(); i++) {
            if (g.get(i) == 0 || covered(i, fp32)) {
                continue;
            }
            Optional<SensitivityEntry> e =
                    table.entry(genes.get(i).key(), genes.get(i).value(g.get(i)));
            if (e.isEmpty()) {
                continue;
            }
            lat += e.get().dLatencyMs();
            div += e.get().dDivergence();
            size += e.get().dSizeBytes();
        }
        return new AdditiveFront.Point(g, lat, div, size);
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

    private double[] reference(List<Observation> measured) {
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

    /** A mutation (1-2 genes) of a measured front member, or of any measured config; empty when nothing is new. */
    private Optional<Genome> localMove(List<Observation> measured, List<Genome> batch) {
        List<Genome> starts = new ArrayList<>();
        for (int i : ParetoFront.indices(
                measured.stream().map(Observation::objectives).toList())) {
            starts.add(measured.get(i).genome());
        }
        Genome start = starts.isEmpty() ? sampler.random(random) : starts.get(random.nextInt(starts.size()));
        return sampler.novelNear(start, random, x -> history.isTaken(x) || batch.contains(x));
    }

    @Override
    public void tell(List<Observation> observations) {
        history.record(observations);
        history.clearPending();
    }
}
