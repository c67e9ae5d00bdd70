package dev.qtune.search.sensitivity;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import dev.qtune.search.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * The probes of a sensitivity analysis over a space: the base config ({@link SearchSpace#firstValues()})
 * {@value #BASE_REPEATS} times (its spread is the latency noise the analysis can resolve), then,
 * for every quantization gene (weight bits, activation bits, calibration, granularity, fp32
 * fall-back; schedule knobs are not probed) and every value other than the base's, the base with
 * only that gene moved. One-at-a-time deltas are what HAWQ-V3, AMP and ModelOpt's auto_quantize
 * build their additive cost model from.
 */
public final class SensitivityPlan {
    /** How often the base config is measured. */
    public static final int BASE_REPEATS = 3;

    private SensitivityPlan() {}

    public static List<SensitivityProbe> of(SearchSpace space) {
        Genome base = space.firstValues();
        List<SensitivityProbe> probes = new ArrayList<>();
        for (int r = 0; r < BASE_REPEATS; r++) {
            probes.add(new SensitivityProbe("", "", "", base));
        }
        List<Gene> genes = space.genes();
        for (int i = 0; i < genes.size(); i++) {
            Gene g = genes.get(i);
            if (!g.isQuantization()) {
                continue;
            }
            for (int v = 1; v < g.cardinality(); v++) {
                int[] values = base.toArray();
                values[i] = v;
                probes.add(new SensitivityProbe(g.layer(), g.kind(), g.value(v), Genome.of(values)));
            }
        }
        return List.copyOf(probes);
    }
}
