package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.pass.PassPipeline;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class StatsCollectorTest {
    private static final int FEATURES = 6;

    /** x -> Relu -> y over f32[batch x 6]. */
    private static Fp32Interpreter relu() {
        Graph g = new GraphBuilder("relu")
                .input("x", TensorType.f32(-1, FEATURES))
                .node(new ReluNode("r", "x", "y"))
                .output("y")
                .build();
        return new Fp32Interpreter(PassPipeline.prerequisites().run(g));
    }

    private static BatchSource slices(float[] all, int size) {
        return (start, n) -> Arrays.copyOfRange(all, start * size, (start + n) * size);
    }

    /** The histogram of |x| by the documented formula, written out directly. */
    private static long[] directHistogram(float[] x, double absMax) {
        long[] h = new long[TensorStats.BINS];
        for (float v : x) {
            h[absMax == 0 ? 0 : Math.min(TensorStats.BINS - 1, (int) (Math.abs(v) * (TensorStats.BINS / absMax)))]++;
        }
        return h;
    }

    /** The same with a division per value: the two may differ only for values within an ulp of a bin edge. */
    private static long[] dividingHistogram(float[] x, double absMax) {
        long[] h = new long[TensorStats.BINS];
        for (float v : x) {
            h[Math.min(TensorStats.BINS - 1, (int) (Math.abs(v) / absMax * TensorStats.BINS))]++;
        }
        return h;
    }

    @Test
    void tinyGraphStatsEqualADirectComputation() {
        int samples = 130; // batches of 50, 50 and 30
        float[] x = Fixtures.uniform(7, samples * FEATURES, -3f, 2f);
        x[17] = 2.75f;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0f);
        }
        Map<String, TensorStats> stats = StatsCollector.collect(relu(), samples, slices(x, FEATURES), 2);
        assertEquals(List.of("x", "y"), List.copyOf(stats.keySet()));
        TensorStats sx = stats.get("x");
        TensorStats sy = stats.get("y");
        assertEquals(min(x), sx.min());
        assertEquals(2.75f, sx.max());
        assertEquals(0f, sy.min());
        assertEquals(2.75f, sy.max());
        assertArrayEquals(directHistogram(x, sx.absMax()), sx.histogram());
        assertArrayEquals(directHistogram(y, sy.absMax()), sy.histogram());
        assertArrayEquals(dividingHistogram(x, sx.absMax()), sx.histogram());
        assertEquals(samples * FEATURES, sx.count());
        assertEquals(samples * FEATURES, sy.count());
        assertEquals(1, sx.histogram()[TensorStats.BINS - 1], "the absMax value falls in the last bin");
    }

    @Test
    void onlyTheFirstSamplesAreReadEachOnceAPass() {
        float[] x = Fixtures.uniform(3, 500 * FEATURES, -1f, 1f);
        ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        BatchSource source = (start, n) -> {
            calls.add(start + "+" + n);
            return slices(x, FEATURES).batch(start, n);
        };
        StatsCollector.collect(relu(), 120, source, 3);
        List<String> sorted = calls.stream().sorted().toList();
        assertEquals(List.of("0+50", "0+50", "100+20", "100+20", "50+50", "50+50"), sorted);
    }

    @Test
    void allZeroValuesCountInBinZero() {
        float[] x = new float[60 * FEATURES];
        Arrays.fill(x, -0.0f);
        Map<String, TensorStats> stats = StatsCollector.collect(relu(), 60, slices(x, FEATURES), 1);
        TensorStats sy = stats.get("y");
        assertEquals(0.0, sy.absMax());
        assertEquals(60 * FEATURES, sy.histogram()[0]);
        assertEquals(60 * FEATURES, sy.count());
    }

    @Test
    void lenetStatsDoNotDependOnTheNumberOfThreads() {
        Fp32Interpreter lenet = new Fp32Interpreter(PassPipeline.prerequisites().run(Fixtures.load(Fixtures.LENET)));
        int samples = 120;
        float[] images = Fixtures.uniform(11, samples * 784, 0f, 1f);
        Map<String, TensorStats> one = StatsCollector.collect(lenet, samples, slices(images, 784), 1);
        Map<String, TensorStats> two = StatsCollector.collect(lenet, samples, slices(images, 784), 2);
        assertEquals(one, two);
        assertEquals(List.copyOf(one.keySet()), List.copyOf(two.keySet()));

        Map<String, Integer> perSample = new LinkedHashMap<>();
        lenet.run(Arrays.copyOf(images, 784), 1, (name, t) -> {
            if (t.dtype() == DType.F32) {
                perSample.put(name, t.numel());
            }
        });
        assertEquals(perSample.keySet(), one.keySet());
        assertTrue(one.size() > 5, "lenet has more than five f32 values, had " + one.keySet());
        perSample.forEach((name, numel) ->
                assertEquals((long) numel * samples, one.get(name).count(), name));
    }

    @Test
    void nanOnTheCalibrationDataIsNamed() {
        float[] x = new float[50 * FEATURES];
        x[4] = Float.NaN;
        QtuneException e =
                assertThrows(QtuneException.class, () -> StatsCollector.collect(relu(), 50, slices(x, FEATURES), 1));
        assertEquals("calibration value 'x' must be finite, but had NaN on the calibration data", e.getMessage());
    }

    @Test
    void argumentsAreChecked() {
        BatchSource none = (start, n) -> new float[n * FEATURES];
        IllegalArgumentException samples =
                assertThrows(IllegalArgumentException.class, () -> StatsCollector.collect(relu(), 0, none, 1));
        assertEquals("calibration samples must be >= 1, but was 0", samples.getMessage());
        IllegalArgumentException threads =
                assertThrows(IllegalArgumentException.class, () -> StatsCollector.collect(relu(), 10, none, 0));
        assertEquals("threads must be >= 1, but was 0", threads.getMessage());
    }

    private static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }
}
