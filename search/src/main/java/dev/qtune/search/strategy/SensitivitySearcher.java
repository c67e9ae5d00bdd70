package dev.qtune.search.strategy;

import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.sensitivity.AdditiveFront;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.space.Gene;
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
 * measured ({@link SensitivityModel}: predictions corrected by the residuals of measured configs
 * near them, so a region the model got wrong is re-ranked as soon as one config there is
 * measured). Each ask takes, greedily, the
 * unmeasured predicted points of largest expected hypervolume gain over everything measured (and
 * chosen so far in the batch). When the predicted front is spent, it asks mutations of the
 * measured front, as a local search.
 */
public final class SensitivitySearcher implements Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(SensitivitySearcher.class);
    /** Most points the predicted front keeps (see {@link AdditiveFront}). */
    private static final int CAP = 4000;

    private final SensitivitySpec spec;
    private final SensitivityModel model;
    private final List<AdditiveFront.Point> predicted;
    private final History history;
    private final GenomeSampler sampler;
    private final SplittableRandom random;

    SensitivitySearcher(SensitivitySpec spec, List<Gene> genes, int objectives, SensitivityTable table) {
        this.spec = spec;
        this.model = new SensitivityModel(genes, objectives, table);
        this.predicted = AdditiveFront.of(genes, table, objectives == 3, CAP);
        this.history = new History(genes, objectives);
        this.sampler = new GenomeSampler(genes);
        this.random = new SplittableRandom(spec.seed());
        LOG.info(
                "sensitivity: the additive model predicts a front of {} configs (top-1 change per nat of divergence: {})",
                predicted.size(),
                String.format("%.4f", model.slope()));
    }

    @Override
    public String name() {
        return "sensitivity";
    }

    /** The front the model predicts, fastest first (the genomes seeding other strategies come from it). */
    public List<AdditiveFront.Point> predicted() {
        return predicted;
    }

    @Override
    public List<Genome> ask(int max) {
        Strategies.checkMax(max);
        int n = Math.min(max, spec.batchSize());
        List<Observation> measured = history.successful();
        SensitivityModel.Fitted fitted = model.fit(measured);
        List<AdditiveFront.Point> open =
                predicted.stream().filter(p -> !history.isTaken(p.genome())).toList();
        List<Genome> batch = new ArrayList<>(fitted.mostPromising(open, n, fitted.reference(predicted)));
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
