package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.space.Genome;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Random points of a space: uniform genomes, mutations of a genome (k genes each moved to a
 * different value), and "novel" genomes that a predicate does not reject (used to avoid
 * re-proposing genomes already told, pending, or in the batch being built). Every draw comes from
 * the generator passed in, so callers stay reproducible.
 */
final class GenomeSampler {
    /** Random tries before giving up on (or enumerating) a nearly exhausted space. */
    private static final int TRIES = 64;
    /** Spaces up to this size are enumerated when random tries find nothing new. */
    private static final double ENUMERABLE = 200_000;

    private final List<Gene> genes;
    private final int[] mutable;
    /** The probability that a random genome keeps a given layer in fp32. */
    private final double skipPrior;

    GenomeSampler(List<Gene> genes) {
        this.genes = List.copyOf(genes);
        this.mutable = IntStream.range(0, genes.size())
                .filter(i -> genes.get(i).cardinality() > 1)
                .toArray();
        long skipGenes = genes.stream().filter(GenomeSampler::isSkip).count();
        this.skipPrior = skipGenes == 0 ? 0 : Math.min(0.5, 1.0 / skipGenes);
    }

    /**
     * A skip gene (fp32 fall-back of a layer) is drawn with a low prior, 1/(number of skip genes),
     * so a random genome keeps about one layer in fp32 rather than half of them: an fp32 island
     * costs far more latency than any other single choice, and a uniform draw would make nearly
     * every random trial a slow one.
     */
    private static boolean isSkip(Gene g) {
        return g.is(GeneKind.SKIP) && g.values().contains("true");
    }

    private int draw(int gene, RandomGenerator random) {
        Gene g = genes.get(gene);
        if (!isSkip(g)) {
            return random.nextInt(g.cardinality());
        }
        int yes = g.values().indexOf("true");
        if (random.nextDouble() < skipPrior) {
            return yes;
        }
        int other = random.nextInt(g.cardinality() - 1);
        return other >= yes ? other + 1 : other;
    }

    int size() {
        return genes.size();
    }

    /** The number of genomes in the space (a double: it easily exceeds a long). */
    double spaceSize() {
        double size = 1;
        for (Gene g : genes) {
            size *= g.cardinality();
        }
        return size;
    }

    Genome random(RandomGenerator random) {
        int[] values = new int[genes.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = draw(i, random);
        }
        return Genome.of(values);
    }

    /** {@code flips} distinct genes (as far as there are genes with a choice) moved to another value. */
    Genome mutate(Genome genome, int flips, RandomGenerator random) {
        int[] values = genome.toArray();
        int[] order = mutable.clone();
        int n = Math.min(flips, order.length);
        for (int k = 0; k < n; k++) {
            int pick = k + random.nextInt(order.length - k);
            int gene = order[pick];
            order[pick] = order[k];
            order[k] = gene;
            int shift = 1 + random.nextInt(genes.get(gene).cardinality() - 1);
            values[gene] = (values[gene] + shift) % genes.get(gene).cardinality();
        }
        return Genome.of(values);
    }

    /**
     * {@code start} if {@code taken} accepts it, else a nearby genome (1-2 mutated genes), else a
     * uniform one; empty when the space looks exhausted.
     */
    Optional<Genome> novelNear(Genome start, RandomGenerator random, Predicate<Genome> taken) {
        if (!taken.test(start)) {
            return Optional.of(start);
        }
        for (int t = 0; t < TRIES; t++) {
            Genome g = mutate(start, 1 + random.nextInt(2), random);
            if (!taken.test(g)) {
                return Optional.of(g);
            }
        }
        return novel(random, taken);
    }

    /** A uniform genome that {@code taken} accepts; empty when none could be found (space exhausted). */
    Optional<Genome> novel(RandomGenerator random, Predicate<Genome> taken) {
        for (int t = 0; t < TRIES; t++) {
            Genome g = random(random);
            if (!taken.test(g)) {
                return Optional.of(g);
            }
        }
        return spaceSize() <= ENUMERABLE ? enumerate(random, taken) : Optional.empty();
    }

    /** Walks the whole space from a random offset, in mixed-radix order. */
    private Optional<Genome> enumerate(RandomGenerator random, Predicate<Genome> taken) {
        long size = (long) spaceSize();
        long offset = random.nextLong(size);
        for (long i = 0; i < size; i++) {
            Genome g = decode((offset + i) % size);
            if (!taken.test(g)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    private Genome decode(long index) {
        int[] values = new int[genes.size()];
        for (int i = 0; i < values.length; i++) {
            int card = genes.get(i).cardinality();
            values[i] = (int) (index % card);
            index /= card;
        }
        return Genome.of(values);
    }
}
