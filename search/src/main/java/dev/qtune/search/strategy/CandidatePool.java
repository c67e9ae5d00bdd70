package dev.qtune.search.strategy;

import dev.qtune.search.space.Genome;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The finite set over which the Bayesian searcher maximises its acquisition: two thirds
 * neighbours of the seeds (the current front: one or two genes moved), one third uniform genomes,
 * none of them {@code taken} and no duplicates. Seeded through the generator passed in.
 */
final class CandidatePool {
    private CandidatePool() {}

    static List<Genome> generate(
            GenomeSampler sampler, List<Genome> seeds, Predicate<Genome> taken, int count, RandomGenerator random) {
        Set<Genome> out = new LinkedHashSet<>();
        int local = seeds.isEmpty() ? 0 : count * 2 / 3;
        for (int a = 0; out.size() < local && a < 4 * local; a++) {
            Genome seed = seeds.get(random.nextInt(seeds.size()));
            Genome g = sampler.mutate(seed, 1 + random.nextInt(2), random);
            if (!taken.test(g)) {
                out.add(g);
            }
        }
        for (int a = 0; out.size() < count && a < 4 * count; a++) {
            Genome g = sampler.random(random);
            if (!taken.test(g)) {
                out.add(g);
            }
        }
        return List.copyOf(out);
    }
}
