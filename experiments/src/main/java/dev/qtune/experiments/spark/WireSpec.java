package dev.qtune.experiments.spark;

import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialSpec;
import java.io.Serializable;
import java.util.List;

/**
 * A trial as it travels to a Spark executor: its genome rather than the decoded configs (the
 * executor decodes it with its own copy of the space and checks the config hash matches the
 * driver's), and how to measure it.
 */
record WireSpec(
        String id,
        int number,
        int generation,
        String kind,
        String label,
        List<Integer> genome,
        String configHash,
        int samples,
        double benchSeconds)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    WireSpec {
        genome = List.copyOf(genome);
    }

    static WireSpec of(TrialSpec s) {
        Decoded d = s.decoded();
        return new WireSpec(
                s.id(),
                s.number(),
                s.generation(),
                s.kind().label(),
                s.label(),
                d.genome().values(),
                d.configHash(),
                s.samples(),
                s.benchSeconds());
    }

    Genome toGenome() {
        return new Genome(genome);
    }

    /** The spec again, with the executor's decoding of the genome. */
    TrialSpec toSpec(Decoded d) {
        return new TrialSpec(number, generation, TrialKind.parse(kind), label, d, samples, benchSeconds);
    }
}
