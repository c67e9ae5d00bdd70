package dev.qtune.search.strategy;

import dev.qtune.search.sensitivity.AdditiveFront;
import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import io.jenetics.Alterer;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NSGA-II on Jenetics in ask/tell form, without an engine or a background thread. The searcher
 * keeps the population of evaluated phenotypes itself (size {@code batchSize}, best first in
 * crowded-comparison order). The first ask returns a random population; every later ask is one
 * generation: parents by binary tournament on that order (rank, then crowding distance), then
 * Jenetics' {@link UniformCrossover} (per-individual probability {@code crossoverRate}; genes of
 * all layers are mixed since the genome is one chromosome, see {@link GenomeChromosome}) and a
 * {@link DistinctValueMutator} (per-gene probability {@code mutationRate}, by default 1/genes).
 * A child equal to a told, pending or sibling genome is mutated further (then redrawn) until it is
 * new, so failed genomes are never proposed again. With a sensitivity model and the spec's
 * {@code screening}, each generation breeds more children than it measures and the model, corrected
 * by every measurement, picks the most promising (surrogate-assisted pre-selection). {@code ask(max)} with max below the batch size
 * returns the first max genomes of the generation (a partial last generation). A tell closes the
 * generation (untold children are dropped; told genomes never asked for, e.g. on resume, join it):
 * survivors are chosen by {@link NSGA2Selector} over population and offspring (mu + lambda).
 *
 * <p>Constraints: the fitness is a {@link ConstrainedVec}, whose dominance puts feasible trials
 * before infeasible ones (ordered by violation) and failed trials last. Every random draw comes
 * from one generator seeded by the spec's seed, scoped to this searcher's calls with
 * {@link RandomRegistry#with}, so concurrent searches in one JVM do not share randomness.
 */
public final class Nsga2Searcher implements Searcher {
    private static final Logger LOG = LoggerFactory.getLogger(Nsga2Searcher.class);

    private final Nsga2Spec spec;
    private final List<Gene> genes;
    private final int objectives;
    private final GenomeSampler sampler;
    private final History history;
    private final SplittableRandom random;
    private final Optional<SensitivityModel> model;
    private final Alterer<IntegerGene, ConstrainedVec> alterer;
    private final Selector<IntegerGene, ConstrainedVec> survivors = NSGA2Selector.ofVec();
    private List<Phenotype<IntegerGene, ConstrainedVec>> population = List.of();
    private long generation;

    Nsga2Searcher(Nsga2Spec spec, List<Gene> genes, int objectives) {
        this(spec, genes, objectives, Optional.empty());
    }

    /** With {@code model} (used when the spec screens), offspring are screened by it (see {@link #offspring}). */
    Nsga2Searcher(Nsga2Spec spec, List<Gene> genes, int objectives, Optional<SensitivityModel> model) {
        this.spec = spec;
        this.model = spec.screening() ? model : Optional.empty();
        this.genes = List.copyOf(genes);
        this.objectives = objectives;
        this.sampler = new GenomeSampler(genes);
        this.history = new History(genes, objectives);
        this.random = new SplittableRandom(spec.seed());
        double mutation = spec.mutationRate(genes.size());
        this.alterer =
                Alterer.of(new UniformCrossover<>(spec.crossoverRate(), 0.5), new DistinctValueMutator(mutation));
    }

    @Override
    public String name() {
        return "nsga2";
    }

    /** The current population (evaluated survivors, best first); empty before the first tell. */
    public List<Genome> population() {
        return population.stream()
                .map(p -> GenomeChromosome.genome(p.genotype()))
                .toList();
    }

    @Override
    public List<Genome> ask(int max) {
        Strategies.checkMax(max);
        if (history.hasPending()) {
            throw new IllegalStateException(
                    "nsga2 must be told the outcomes of generation " + generation + " before it is asked for the next");
        }
        int n = spec.batchSize();
        List<Genome> generated = RandomRegistry.with(
                random, r -> population.size() < 2 ? fill(new LinkedHashSet<>(), n, r) : offspring(n, r));
        List<Genome> batch = List.copyOf(generated.subList(0, Math.min(max, generated.size())));
        generation++;
        history.markPending(batch);
        LOG.debug("nsga2 generation {}: {} genomes", generation, batch.size());
        return batch;
    }

    @Override
    public void tell(List<Observation> observations) {
        List<Observation> fresh = history.record(observations);
        history.clearPending();
        List<Phenotype<IntegerGene, ConstrainedVec>> union = new ArrayList<>(population);
        Set<Genome> members = new HashSet<>(population());
        for (Observation o : fresh) {
            if (members.add(o.genome())) {
                union.add(Phenotype.of(GenomeChromosome.genotype(genes, o.genome()), generation, fitness(o)));
            }
        }
        if (union.isEmpty()) {
            return;
        }
        List<Phenotype<IntegerGene, ConstrainedVec>> ranked = withWorstForFailed(union);
        int count = Math.min(spec.batchSize(), ranked.size());
        population = List.copyOf(
                survivors.select(ISeq.of(ranked), count, Optimize.MINIMUM).asList());
        LOG.debug("nsga2 generation {}: {} survivors of {}", generation, population.size(), ranked.size());
    }

    /**
     * One generation. Without a model: {@code n} children bred (see {@link #bred}). With one
     * (screening): {@value Nsga2Spec#SCREENING_POOL} x n children bred, of which the model, fitted
     * to every trial measured so far, picks those of largest expected hypervolume gain; children it
     * expects nothing of fill the rest in breeding order.
     */
    private List<Genome> offspring(int n, RandomGenerator rng) {
        if (model.isEmpty()) {
            return bred(n, rng);
        }
        List<Genome> pool = bred(n * Nsga2Spec.SCREENING_POOL, rng);
        SensitivityModel.Fitted fitted = model.get().fit(history.successful());
        List<AdditiveFront.Point> points =
                pool.stream().map(model.get()::predictionOf).toList();
        Set<Genome> batch = new LinkedHashSet<>(fitted.mostPromising(points, n, fitted.reference(points)));
        LOG.debug("nsga2 generation {}: the model picked {} of {} children", generation + 1, batch.size(), pool.size());
        for (Genome g : pool) {
            if (batch.size() >= n) {
                break;
            }
            batch.add(g);
        }
        return List.copyOf(batch);
    }

    /** {@code n} new children: tournament, crossover and mutation, made new where needed. */
    private List<Genome> bred(int n, RandomGenerator rng) {
        Map<Phenotype<IntegerGene, ConstrainedVec>, Integer> order = new IdentityHashMap<>();
        for (int i = 0; i < population.size(); i++) {
            order.put(population.get(i), i);
        }
        var tournament = new TournamentSelector<IntegerGene, ConstrainedVec>(Comparator.comparingInt(order::get), 2);
        ISeq<Phenotype<IntegerGene, ConstrainedVec>> parents =
                tournament.select(ISeq.of(population), n, Optimize.MINIMUM);
        ISeq<Phenotype<IntegerGene, ConstrainedVec>> children =
                alterer.alter(parents, generation).population();
        Set<Genome> batch = new LinkedHashSet<>();
        for (Phenotype<IntegerGene, ConstrainedVec> child : children) {
            Genome g = GenomeChromosome.genome(child.genotype());
            sampler.novelNear(g, rng, x -> history.isTaken(x) || batch.contains(x))
                    .ifPresent(batch::add);
        }
        return fill(batch, n, rng);
    }

    /** Tops a batch up with new uniform genomes (the whole first population, or after exhaustion). */
    private List<Genome> fill(Set<Genome> batch, int n, RandomGenerator rng) {
        while (batch.size() < n) {
            Optional<Genome> g = sampler.novel(rng, x -> history.isTaken(x) || batch.contains(x));
            if (g.isEmpty()) {
                LOG.info("nsga2: the space is exhausted after {} genomes", history.toldCount());
                break;
            }
            batch.add(g.get());
        }
        return List.copyOf(batch);
    }

    private static ConstrainedVec fitness(Observation o) {
        return o.failed() ? ConstrainedVec.failedAt(new double[0]) : ConstrainedVec.of(o);
    }

    /** Gives failed phenotypes the worst objective values of the set (see {@link ConstrainedVec}). */
    private List<Phenotype<IntegerGene, ConstrainedVec>> withWorstForFailed(
            List<Phenotype<IntegerGene, ConstrainedVec>> set) {
        double[] worst = new double[objectives];
        Arrays.fill(worst, Double.NEGATIVE_INFINITY);
        for (var p : set) {
            if (!p.fitness().failed()) {
                for (int k = 0; k < objectives; k++) {
                    worst[k] = Math.max(worst[k], p.fitness().data()[k]);
                }
            }
        }
        for (int k = 0; k < objectives; k++) {
            worst[k] = Double.isFinite(worst[k]) ? worst[k] : 0;
        }
        ConstrainedVec failed = ConstrainedVec.failedAt(worst);
        return set.stream()
                .map(p -> p.fitness().failed() ? p.withFitness(failed) : p)
                .toList();
    }
}
