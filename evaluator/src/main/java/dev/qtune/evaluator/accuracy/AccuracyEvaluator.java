package dev.qtune.evaluator.accuracy;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Interpreter;
import dev.qtune.compiler.interp.ParallelRuns;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.evaluator.data.Dataset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a classifier graph over the first {@code limit} samples of a dataset split with the fp32
 * or integer interpreter and counts top-1 hits. Batches are independent, so {@code threads} workers each
 * take whole batches: that is how both cores are used.
 */
public final class AccuracyEvaluator {
    public static final int DEFAULT_BATCH = 50;

    private AccuracyEvaluator() {}

    public static AccuracyResult evaluate(
            Interpreter model, Dataset data, int limit, int threads, ProgressListener progress) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        int samples = limit <= 0 ? data.count() : Math.min(limit, data.count());
        int[] predictions = new int[samples];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        ParallelRuns.forEachBatch("qtune-eval", threads, samples, DEFAULT_BATCH, "evaluation", (first, n) -> {
            Tensor logits = model.run(data.batch(first, n), n);
            argmax(logits, first, n, predictions);
            progress.progress(done.addAndGet(n), samples);
        });
        int correct = 0;
        for (int i = 0; i < samples; i++) {
            if (predictions[i] == data.label(i)) {
                correct++;
            }
        }
        return new AccuracyResult(samples, correct, (System.nanoTime() - start) / 1e9, predictions);
    }

    private static void argmax(Tensor logits, int first, int n, int[] predictions) {
        int classes = logits.shape().dim(logits.shape().rank() - 1);
        if (logits.numel() != n * classes) {
            throw new QtuneException("model output must be [batch, classes], but was " + logits.shape());
        }
        float[] y = logits.floats();
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (y[i * classes + c] > y[i * classes + best]) {
                    best = c;
                }
            }
            predictions[first + i] = best;
        }
    }
}
