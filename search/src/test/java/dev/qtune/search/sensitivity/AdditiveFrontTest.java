package dev.qtune.search.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The additive model's front, solved by dynamic programming, against brute force on small spaces. */
class AdditiveFrontTest {
    private static final List<String> LAYERS = List.of("conv1", "conv2", "conv3", "fc");

    private static List<Gene> genes() {
        List<Gene> g = new ArrayList<>();
        for (String l : LAYERS) {
            g.add(new Gene(l, "weight_bits", List.of("8", "4"), true));
            g.add(new Gene(l, "calibration", List.of("kl", "percentile"), false));
            g.add(new Gene(l, "skip", List.of("false", "true"), false));
        }
        return g;
    }

    private static SensitivityEntry e(String layer, String kind, String value, double dDiv, double dLat) {
        return new SensitivityEntry(layer, kind, value, true, "", dDiv, -dDiv, -dDiv, dLat, 0);
    }

    /**
     * The case: percentile everywhere helps a little, and keeping only the last layer in
     * fp32 removes most of the distortion for little latency. Both must be on the predicted front.
     */
    private static SensitivityTable table() {
        List<SensitivityEntry> es = new ArrayList<>();
        for (String l : LAYERS) {
            es.add(e(l, "weight_bits", "4", 0.02, 0));
            es.add(e(l, "calibration", "percentile", -0.001, 0));
            es.add(e(l, "skip", "true", l.equals("fc") ? -0.02 : -0.002, l.equals("fc") ? 0.002 : 0.05));
        }
        return new SensitivityTable(0.03, 0.92, 0.98, 0.1, 1000, 0.001, 1000, es);
    }

    @Test
    void theOneLayerFixOnTopOfAnotherCalibrationIsOnTheFront() {
        List<AdditiveFront.Point> front = AdditiveFront.of(genes(), table(), false, 4000);
        // fc in fp32, percentile everywhere else and on fc's genes irrelevant: divergence 0.03 - 0.003 - 0.02
        AdditiveFront.Point cheapFix = front.stream()
                .filter(p -> Math.abs(p.latencyMs() - 0.102) < 1e-9)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no point at +0.002 ms: " + front));
        assertEquals(0.03 - 3 * 0.001 - 0.02, cheapFix.divergence(), 1e-9);
        Genome g = cheapFix.genome();
        assertEquals(1, g.get(11), "fc is kept in fp32");
        for (int l = 0; l < 3; l++) {
            assertEquals(1, g.get(3 * l + 1), "layer " + l + " on percentile");
            assertEquals(0, g.get(3 * l + 2), "layer " + l + " quantized");
        }
        assertEquals(0.1, front.get(0).latencyMs(), 1e-12, "the base latency is the fastest");
    }

    /** Brute force over all 2^12 genomes: the DP's front equals the exact additive front. */
    @Test
    void equalsBruteForce() {
        List<Gene> genes = genes();
        SensitivityTable t = table();
        List<double[]> all = new ArrayList<>();
        for (int m = 0; m < 1 << genes.size(); m++) {
            double lat = t.baseLatencyMs();
            double div = t.baseDivergence();
            for (int l = 0; l < LAYERS.size(); l++) {
                boolean skip = (m >> (3 * l + 2) & 1) == 1;
                for (int k = 0; k < 3; k++) {
                    if ((m >> (3 * l + k) & 1) == 1 && (!skip || k == 2)) {
                        Gene g = genes.get(3 * l + k);
                        SensitivityEntry e = t.entry(g.key(), g.value(1)).orElseThrow();
                        lat += e.dLatencyMs();
                        div += e.dDivergence();
                    }
                }
            }
            all.add(new double[] {lat, div});
        }
        List<double[]> exact = new ArrayList<>();
        for (double[] p : all) {
            boolean dominated = all.stream()
                    .anyMatch(q -> q[0] <= p[0] + 1e-12
                            && q[1] <= p[1] + 1e-12
                            && (q[0] < p[0] - 1e-12 || q[1] < p[1] - 1e-12));
            if (!dominated
                    && exact.stream().noneMatch(q -> Math.abs(q[0] - p[0]) < 1e-12 && Math.abs(q[1] - p[1]) < 1e-12)) {
                exact.add(p);
            }
        }
        List<AdditiveFront.Point> dp = AdditiveFront.of(genes, t, false, 4000);
        assertEquals(exact.size(), dp.size(), "front sizes");
        for (double[] p : exact) {
            assertTrue(
                    dp.stream()
                            .anyMatch(q ->
                                    Math.abs(q.latencyMs() - p[0]) < 1e-9 && Math.abs(q.divergence() - p[1]) < 1e-9),
                    "missing " + p[0] + ", " + p[1]);
        }
    }
}
