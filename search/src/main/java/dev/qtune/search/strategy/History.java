package dev.qtune.search.strategy;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a strategy has proposed and been told: every observation (the first one told for a genome
 * wins), the genomes asked for but not yet told (pending), and the validation of both against the
 * space. Observations of one tell are put into a canonical order (the order they were asked in,
 * then genomes never asked in lexicographic order), so a strategy's state does not depend on the
 * order in which parallel trials happened to finish.
 */
final class History {
    private static final Comparator<Genome> LEXICOGRAPHIC = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private final List<Gene> genes;
    private final int objectives;
    private final Map<Genome, Observation> told = new LinkedHashMap<>();
    private final Map<Genome, Integer> pending = new LinkedHashMap<>();
    private int askedCount;

    History(List<Gene> genes, int objectives) {
        this.genes = List.copyOf(genes);
        this.objectives = objectives;
    }

    /** Records a tell; returns the observations of genomes not told before, in canonical order. */
    List<Observation> record(List<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.forEach(this::check);
        sorted.sort(Comparator.comparingInt((Observation o) -> pending.getOrDefault(o.genome(), Integer.MAX_VALUE))
                .thenComparing(Observation::genome, LEXICOGRAPHIC));
        List<Observation> fresh = new ArrayList<>();
        for (Observation o : sorted) {
            pending.remove(o.genome());
            if (told.putIfAbsent(o.genome(), o) == null) {
                fresh.add(o);
            }
        }
        return fresh;
    }

    void markPending(Collection<Genome> asked) {
        for (Genome g : asked) {
            if (!pending.containsKey(g)) {
                pending.put(g, askedCount++);
            }
        }
    }

    void clearPending() {
        pending.clear();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Told (failed or not) or pending: a strategy should not propose it again. */
    boolean isTaken(Genome genome) {
        return told.containsKey(genome) || pending.containsKey(genome);
    }

    boolean isFailed(Genome genome) {
        Observation o = told.get(genome);
        return o != null && o.failed();
    }

    int toldCount() {
        return told.size();
    }

    int pendingCount() {
        return pending.size();
    }

    List<Observation> all() {
        return List.copyOf(told.values());
    }

    /** The observations of trials that ran (not failed), in the order they were told. */
    List<Observation> successful() {
        return told.values().stream().filter(o -> !o.failed()).toList();
    }

    private void check(Observation o) {
        Objects.requireNonNull(o, "observation");
        checkGenome(genes, o.genome());
        if (!o.failed() && o.objectives().length != objectives) {
            throw new IllegalArgumentException("observation of " + o.genome() + " must have " + objectives
                    + " objectives, but had " + o.objectives().length);
        }
    }

    static void checkGenome(List<Gene> genes, Genome genome) {
        if (genome.size() != genes.size()) {
            throw new IllegalArgumentException("genome " + genome + " must have " + genes.size()
                    + " values (one per gene), but had " + genome.size());
        }
        for (int i = 0; i < genes.size(); i++) {
            if (genome.get(i) >= genes.get(i).cardinality()) {
                throw new IllegalArgumentException(
                        "genome value " + i + " (" + genes.get(i).key() + ") must be < "
                                + genes.get(i).cardinality() + ", but was " + genome.get(i));
            }
        }
    }
}
