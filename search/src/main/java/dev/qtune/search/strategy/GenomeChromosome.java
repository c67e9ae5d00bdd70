package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import io.jenetics.AbstractChromosome;
import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.util.ISeq;
import java.util.List;

/**
 * A whole genome as one Jenetics chromosome: gene i is an {@link IntegerGene} over [0, cardinality
 * of gene i). Jenetics' own IntegerChromosome needs one range for all its genes, and one chromosome
 * per gene would stop crossover from mixing genes across layers (Jenetics crosses one chromosome
 * at a time), hence this chromosome with a range per gene.
 */
final class GenomeChromosome extends AbstractChromosome<IntegerGene> {
    private GenomeChromosome(ISeq<IntegerGene> genes) {
        super(genes);
    }

    static Genotype<IntegerGene> genotype(List<Gene> space, Genome genome) {
        IntegerGene[] genes = new IntegerGene[space.size()];
        for (int i = 0; i < genes.length; i++) {
            genes[i] = IntegerGene.of(genome.get(i), 0, space.get(i).cardinality());
        }
        return Genotype.of(new GenomeChromosome(ISeq.of(genes)));
    }

    static Genome genome(Genotype<IntegerGene> genotype) {
        Chromosome<IntegerGene> chromosome = genotype.chromosome();
        int[] values = new int[chromosome.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = chromosome.get(i).intValue();
        }
        return Genome.of(values);
    }

    @Override
    public Chromosome<IntegerGene> newInstance(ISeq<IntegerGene> genes) {
        return new GenomeChromosome(genes);
    }

    @Override
    public Chromosome<IntegerGene> newInstance() {
        return new GenomeChromosome(_genes.map(IntegerGene::newInstance));
    }
}
