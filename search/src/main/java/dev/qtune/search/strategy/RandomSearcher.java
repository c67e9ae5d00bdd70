package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uniform random search: each batch is {@code batchSize} genomes drawn uniformly from the space
 * with a generator seeded by the spec's seed. A genome already told (failed or not), pending, or
 * already in the batch is not proposed again while the space has others; an empty batch means the
 * space is exhausted. Constraints and objectives do not steer it.
 */
public final class RandomSearcher implements Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(RandomSearcher.class);

    private final RandomSpec spec;
    private final GenomeSampler sampler;
    private final History history;
    private final SplittableRandom random;

    RandomSearcher(RandomSpec spec, List<Gene> genes, int objectives) {
        this.spec = spec;
        this.sampler = new GenomeSampler(genes);
        this.history = new History(genes, objectives);
        this.random = new SplittableRandom(spec.seed());
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<Genome> ask(int max) {
        Strategies.checkMax(max);
        int n = Math.min(max, spec.batchSize());
        List<Genome> batch = new ArrayList<>(n);
        while (batch.size() < n) {
            Optional<Genome> next = sampler.novel(random, g -> history.isTaken(g) || batch.contains(g));
            if (next.isEmpty()) {
                LOG.info("random search: the space is exhausted after {} genomes", history.toldCount());
                break;
            }
            batch.add(next.get());
        }
        history.markPending(batch);
        LOG.debug("random search proposes {} genomes", batch.size());
        return List.copyOf(batch);
    }

    @Override
    public void tell(List<Observation> observations) {
        history.record(observations);
    }
}
