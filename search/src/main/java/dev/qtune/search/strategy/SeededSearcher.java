package dev.qtune.search.strategy;

import dev.qtune.search.space.Genome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Any strategy with known-good genomes put first, as Optuna's enqueue_trial does: the first
 * generation holds every seed (the base config, the uniform configs the space expresses, the
 * experiment's seed files, the points a sensitivity model predicts), topped up to the batch size
 * by the strategy's own first proposals; from then on the strategy alone. The strategy is told the
 * seeds' outcomes with the rest, so NSGA-II breeds from them and a Bayesian model fits them.
 */
final class SeededSearcher implements Searcher {
    private final Searcher strategy;
    private final int batchSize;
    private final Deque<Genome> seeds;

    SeededSearcher(Searcher strategy, int batchSize, List<Genome> seeds) {
        this.strategy = strategy;
        this.batchSize = batchSize;
        this.seeds = new ArrayDeque<>(new LinkedHashSet<>(seeds));
    }

    @Override
    public String name() {
        return strategy.name();
    }

    @Override
    public List<Genome> ask(int max) {
        if (seeds.isEmpty()) {
            return strategy.ask(max);
        }
        List<Genome> batch = new ArrayList<>();
        while (!seeds.isEmpty() && batch.size() < max) {
            batch.add(seeds.poll());
        }
        int room = Math.min(max, batchSize) - batch.size();
        if (room > 0) {
            strategy.ask(room).stream().filter(g -> !batch.contains(g)).forEach(batch::add);
        }
        return List.copyOf(batch);
    }

    @Override
    public void tell(List<Observation> observations) {
        strategy.tell(observations);
    }
}
