package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The model-based strategy on {@link QuantToy}: it must find "last layer in fp32" (the one-layer
 * fix) in its first generation.
 */
class SensitivitySearcherTest {
    @Test
    void findsTheOneLayerFixInTheFirstGeneration() {
        List<Gene> genes = QuantToy.genes();
        Searcher s =
                Strategies.create(new SensitivitySpec(1, 8), genes, 2, List.of(), Optional.of(QuantToy.table(genes)));
        List<double[]> measured = new ArrayList<>();
        for (int gen = 0; gen < 3; gen++) {
            List<Observation> told = new ArrayList<>();
            for (Genome g : s.ask(8)) {
                double[] t = QuantToy.truth(g);
                measured.add(t);
                told.add(Observation.ok(g, t, 0));
            }
            s.tell(told);
            if (gen == 0) {
                assertTrue(
                        measured.stream()
                                .anyMatch(t ->
                                        t[0] <= QuantToy.FP32_ERROR + 0.001 && t[1] <= 1.2 * QuantToy.BASE_LATENCY),
                        "within 0.1 point of fp32 at <= 1.2x the base latency in generation 0");
            }
        }
        assertEquals(24, measured.size(), "three full generations of new configs");
    }
}
