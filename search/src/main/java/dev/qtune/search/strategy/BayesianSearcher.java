package dev.qtune.search.strategy;

import dev.qtune.search.pareto.ParetoFront;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gaussian-process Bayesian optimisation. The first {@code initialSamples} trials are uniform random
 * (seeded). After that, each ask fits one Gaussian process per objective (objectives scaled to
 * [0, 1]; see {@link GaussianProcess} for kernel and hyperparameters) and, when some trial was
 * infeasible, one on the violation ({@link FeasibilityModel}); it draws a candidate set (front
 * neighbours and uniform genomes, {@link CandidatePool}), and picks the batch one genome at a time
 * by the acquisition ({@link EhviAcquisition} or {@link ParegoAcquisition}) times the probability
 * of feasibility, applying the kriging believer after each pick ({@link AcquisitionContext#believe})
 * so a batch holds {@code batchSize} distinct genomes never told before.
 *
 * <p>Failed trials are left out of every regression (they have no objectives) but stay told, so
 * neither they nor any other told or pending genome is proposed again. Every random draw comes
 * from one generator seeded by the spec's seed.
 */
public final class BayesianSearcher implements Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(BayesianSearcher.class);
    /** Candidates scored per ask. */
    static final int CANDIDATES = 2000;
    /** Seeds of the candidate set when nothing is feasible: the least violating trials. */
    private static final int INFEASIBLE_SEEDS = 5;

    private final BayesianSpec spec;
    private final int objectives;
    private final GenomeSampler sampler;
    private final GenomeEncoder encoder;
    private final History history;
    private final Acquisition acquisition;
    private final SplittableRandom random;

    BayesianSearcher(BayesianSpec spec, List<Gene> genes, int objectives) {
        this.spec = spec;
        this.objectives = objectives;
        this.sampler = new GenomeSampler(genes);
        this.encoder = new GenomeEncoder(genes);
        this.history = new History(genes, objectives);
        this.acquisition = Acquisition.of(spec.acquisition());
        this.random = new SplittableRandom(spec.seed());
    }

    @Override
    public String name() {
        return "bayesian";
    }

    @Override
    public List<Genome> ask(int max) {
        Strategies.checkMax(max);
        int n = Math.min(max, spec.batchSize());
        List<Genome> batch = new ArrayList<>(n);
        boolean modelReady = history.successful().size() >= 2;
        int initial = spec.initialSamples() - history.toldCount() - history.pendingCount();
        int randomCount = modelReady ? Math.max(0, Math.min(n, initial)) : n;
        addRandom(batch, randomCount);
        if (batch.size() < n) {
            addModelled(batch, n - batch.size());
        }
        if (batch.size() < n) {
            addRandom(batch, n - batch.size());
        }
        history.markPending(batch);
        LOG.debug(
                "bayesian ({}) proposes {} genomes, {} of them random",
                spec.acquisition().label(),
                batch.size(),
                Math.min(randomCount, batch.size()));
        return List.copyOf(batch);
    }

    @Override
    public void tell(List<Observation> observations) {
        history.record(observations);
    }

    private void addRandom(List<Genome> batch, int count) {
        for (int i = 0; i < count; i++) {
            Optional<Genome> g = sampler.novel(random, x -> history.isTaken(x) || batch.contains(x));
            if (g.isEmpty()) {
                LOG.info("bayesian: the space is exhausted after {} genomes", history.toldCount());
                return;
            }
            batch.add(g.get());
        }
    }

    private void addModelled(List<Genome> batch, int count) {
        List<Observation> data = history.successful();
        List<Genome> candidates = CandidatePool.generate(
                sampler, seeds(data), x -> history.isTaken(x) || batch.contains(x), CANDIDATES, random);
        if (candidates.isEmpty()) {
            return;
        }
        AcquisitionContext context = AcquisitionContext.fit(data, encoder, candidates, objectives);
        for (int k = 0; k < count; k++) {
            int j = acquisition.next(context, random);
            if (j < 0) {
                return;
            }
            batch.add(candidates.get(j));
            context.believe(j);
        }
    }

    /** The genomes of the feasible front, or of the least violating trials while none is feasible. */
    private static List<Genome> seeds(List<Observation> data) {
        List<Integer> front = ParetoFront.feasibleIndices(data, Observation::feasible, Observation::objectives);
        if (!front.isEmpty()) {
            return front.stream().map(i -> data.get(i).genome()).toList();
        }
        return data.stream()
                .sorted(Comparator.comparingDouble(Observation::violation))
                .limit(INFEASIBLE_SEEDS)
                .map(Observation::genome)
                .toList();
    }
}
