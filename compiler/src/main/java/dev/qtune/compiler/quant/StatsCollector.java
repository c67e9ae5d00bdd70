package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.ParallelRuns;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects {@link TensorStats} of every f32 value the fp32 interpreter shows (the graph input and
 * every computed value; other dtypes are skipped) over the first {@code samples} calibration
 * samples, in batches of {@value #BATCH}. Two passes: min/max per value, then the |x| histogram
 * of {@link TensorStats#BINS} bins over [0, absMax] with
 * {@code bin = min(BINS - 1, (int) (|x| * (BINS / absMax)))} (absMax 0 puts every count in bin 0).
 * Multiplying by the precomputed {@code BINS / absMax} is twice as fast as dividing each value by
 * absMax and differs from {@code |x| / absMax * BINS} by at most one ulp: only a value within one
 * ulp of a bin edge can land in the neighbouring bin.
 *
 * <p>{@code threads} workers each own a partial result and take every {@code threads}-th batch;
 * the partial results are merged after the pass. Min, max and counts are exact, so the result
 * does not depend on the number of threads; the map keeps the order in which values are computed.
 */
public final class StatsCollector {
    public static final int BATCH = 50;

    private static final Logger LOG = LoggerFactory.getLogger(StatsCollector.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private StatsCollector() {}

    public static Map<String, TensorStats> collect(
            Fp32Interpreter model, int samples, BatchSource source, int threads) {
        if (samples < 1) {
            throw new IllegalArgumentException("calibration samples must be >= 1, but was " + samples);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        long start = System.nanoTime();
        MinMax range = runPass(model, samples, source, threads, MinMax::new);
        range.checkFinite();
        Histograms hist = runPass(model, samples, source, threads, () -> new Histograms(range));
        Map<String, TensorStats> stats = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : range.ranges.entrySet()) {
            String name = e.getKey();
            stats.put(name, new TensorStats(name, e.getValue()[0], e.getValue()[1], hist.counts.get(name)));
        }
        LOG.info(
                "collected calibration statistics of {} values over {} samples in {} s ({} threads)",
                stats.size(),
                samples,
                String.format("%.2f", (System.nanoTime() - start) / 1e9),
                threads);
        return stats;
    }

    /** A per-worker partial result of one pass: sees values, then absorbs another worker's part. */
    private interface Partial<P> extends BiConsumer<String, Tensor> {
        void merge(P other);
    }

    private static <P extends Partial<P>> P runPass(
            Fp32Interpreter model, int samples, BatchSource source, int threads, Supplier<P> fresh) {
        int batches = (samples + BATCH - 1) / BATCH;
        int workers = Math.min(threads, batches);
        List<P> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(fresh.get());
        }
        if (workers == 1) {
            runBatches(model, samples, source, 0, 1, parts.get(0));
        } else {
            runInPool(model, samples, source, parts);
        }
        P merged = parts.get(0);
        for (int w = 1; w < workers; w++) {
            merged.merge(parts.get(w));
        }
        return merged;
    }

    private static void runInPool(
            Fp32Interpreter model, int samples, BatchSource source, List<? extends Partial<?>> parts) {
        int workers = parts.size();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int first = w;
            Partial<?> part = parts.get(w);
            tasks.add(() -> {
                runBatches(model, samples, source, first, workers, part);
                return null;
            });
        }
        ParallelRuns.all("qtune-calibrate-" + POOLS.incrementAndGet(), workers, "calibration", tasks);
    }

    /** Runs batches {@code first, first + step, ...} showing every value to {@code part}. */
    private static void runBatches(
            Fp32Interpreter model,
            int samples,
            BatchSource source,
            int first,
            int step,
            BiConsumer<String, Tensor> part) {
        int batches = (samples + BATCH - 1) / BATCH;
        for (int b = first; b < batches; b += step) {
            int start = b * BATCH;
            int n = Math.min(BATCH, samples - start);
            model.run(source.batch(start, n), n, (name, value) -> {
                if (value.dtype() == DType.F32) {
                    part.accept(name, value);
                }
            });
        }
    }

    /** Pass 1: min and max per value, and whether a NaN was seen. */
    private static final class MinMax implements Partial<MinMax> {
        final Map<String, float[]> ranges = new LinkedHashMap<>();
        final Map<String, Boolean> nan = new LinkedHashMap<>();

        @Override
        public void accept(String name, Tensor value) {
            float[] x = value.floats();
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            boolean sawNan = false;
            for (float v : x) {
                if (v < lo) {
                    lo = v;
                }
                if (v > hi) {
                    hi = v;
                }
                sawNan |= v != v;
            }
            update(name, lo, hi, sawNan);
        }

        private void update(String name, float lo, float hi, boolean sawNan) {
            float[] r =
                    ranges.computeIfAbsent(name, k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            r[0] = Math.min(r[0], lo);
            r[1] = Math.max(r[1], hi);
            if (sawNan) {
                nan.put(name, true);
            }
        }

        @Override
        public void merge(MinMax other) {
            other.ranges.forEach((name, r) -> update(name, r[0], r[1], other.nan.containsKey(name)));
        }

        void checkFinite() {
            for (Map.Entry<String, float[]> e : ranges.entrySet()) {
                float[] r = e.getValue();
                if (nan.containsKey(e.getKey()) || !Float.isFinite(r[0]) || !Float.isFinite(r[1])) {
                    throw new QtuneException("calibration value '" + e.getKey() + "' must be finite, but had "
                            + (nan.containsKey(e.getKey()) ? "NaN" : "range [" + r[0] + ", " + r[1] + "]")
                            + " on the calibration data");
                }
            }
        }
    }

    /** Pass 2: the |x| histogram per value, over [0, absMax] from pass 1. */
    private static final class Histograms implements Partial<Histograms> {
        final Map<String, Double> absMax = new LinkedHashMap<>();
        final Map<String, long[]> counts = new LinkedHashMap<>();

        Histograms(MinMax range) {
            range.ranges.forEach((name, r) -> {
                absMax.put(name, Math.max(Math.abs((double) r[0]), Math.abs((double) r[1])));
                counts.put(name, new long[TensorStats.BINS]);
            });
        }

        @Override
        public void accept(String name, Tensor value) {
            long[] h = counts.get(name);
            if (h == null) {
                throw new IllegalStateException(
                        "value '" + name + "' must have been seen by the min/max pass, but was not");
            }
            add(h, value.floats(), absMax.get(name));
        }

        static void add(long[] h, float[] x, double absMax) {
            if (absMax == 0) {
                h[0] += x.length;
                return;
            }
            int last = TensorStats.BINS - 1;
            double perUnit = TensorStats.BINS / absMax;
            for (float v : x) {
                int bin = (int) (Math.abs((double) v) * perUnit);
                h[Math.min(last, bin)]++;
            }
        }

        @Override
        public void merge(Histograms other) {
            other.counts.forEach((name, h) -> {
                long[] mine = counts.get(name);
                for (int i = 0; i < mine.length; i++) {
                    mine[i] += h[i];
                }
            });
        }
    }
}
