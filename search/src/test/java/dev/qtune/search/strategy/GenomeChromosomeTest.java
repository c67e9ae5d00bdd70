package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import io.jenetics.IntegerGene;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GenomeChromosomeTest {
    private final List<Gene> genes = new ToyProblem(20).genes();

    private Genome constant(boolean high) {
        return Genome.of(
                genes.stream().mapToInt(g -> high ? g.cardinality() - 1 : 0).toArray());
    }

    @Test
    void roundTripsAGenomeWithARangePerGene() {
        Genome g = constant(true);
        var genotype = GenomeChromosome.genotype(genes, g);
        assertEquals(g, GenomeChromosome.genome(genotype));
        assertTrue(genotype.isValid());
        for (int i = 0; i < genes.size(); i++) {
            assertEquals(
                    genes.get(i).cardinality(), genotype.chromosome().get(i).max());
        }
    }

    @Test
    void crossoverMixesGenesAcrossLayers() {
        var low = Phenotype.<IntegerGene, ConstrainedVec>of(GenomeChromosome.genotype(genes, constant(false)), 0);
        var high = Phenotype.<IntegerGene, ConstrainedVec>of(GenomeChromosome.genotype(genes, constant(true)), 0);
        var children = RandomRegistry.with(
                new SplittableRandom(3),
                r -> new UniformCrossover<IntegerGene, ConstrainedVec>(1, 0.5)
                        .alter(ISeq.of(low, high), 1)
                        .population());
        for (var child : children) {
            int[] v = GenomeChromosome.genome(child.genotype()).toArray();
            long fromHigh = java.util.stream.IntStream.range(0, v.length)
                    .filter(i -> v[i] == genes.get(i).cardinality() - 1)
                    .count();
            assertTrue(fromHigh > 2 && fromHigh < v.length - 2, "child " + Arrays.toString(v) + " is not a mix");
            assertTrue(child.genotype().isValid());
        }
    }

    @Test
    void mutationAlwaysMovesAGeneToAnotherValue() {
        Genome start = constant(false);
        var p = Phenotype.<IntegerGene, ConstrainedVec>of(GenomeChromosome.genotype(genes, start), 0);
        var mutated = RandomRegistry.with(
                new SplittableRandom(4),
                r -> new DistinctValueMutator(1)
                        .alter(ISeq.of(p), 1)
                        .population()
                        .get(0));
        Genome after = GenomeChromosome.genome(mutated.genotype());
        for (int i = 0; i < genes.size(); i++) {
            assertNotEquals(start.get(i), after.get(i), "gene " + i);
            assertTrue(after.get(i) < genes.get(i).cardinality());
        }
    }
}
