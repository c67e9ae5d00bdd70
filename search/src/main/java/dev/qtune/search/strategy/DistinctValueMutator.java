package dev.qtune.search.strategy;

import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import java.util.random.RandomGenerator;

/**
 * Jenetics' {@link Mutator} (each gene mutated with the given probability), except that a mutated
 * gene always moves to a different value: with cardinalities of 2 to 6, a plain re-draw would waste
 * a large share of mutations on the value the gene already has.
 */
final class DistinctValueMutator extends Mutator<IntegerGene, ConstrainedVec> {
    DistinctValueMutator(double probability) {
        super(probability);
    }

    @Override
    protected IntegerGene mutate(IntegerGene gene, RandomGenerator random) {
        int card = gene.max() - gene.min();
        if (card < 2) {
            return gene;
        }
        int shift = 1 + random.nextInt(card - 1);
        int value = gene.min() + (gene.intValue() - gene.min() + shift) % card;
        return gene.newInstance(value);
    }
}
