package dev.qtune.evaluator.quant;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fp32 model's logits on the first samples of a split: the reference a quantized config's
 * outputs are compared with, sample by sample (agreement of predictions, KL divergence of the
 * softmax), which is a far steadier measure than top-1 against the labels. Computed once with the
 * fp32 interpreter per (model, split, sample count) and cached beside the reference predictions.
 */
public final class ReferenceLogits {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceLogits.class);
    private static final int MAGIC = 0x514c4f47; // "QLOG"
    private static final int BATCH = 50;

    private ReferenceLogits() {}

    /** Logits of the first {@code samples} images, {@code samples * classes} floats, row by row. */
    public static float[] get(Path cacheDir, String modelHash, Graph fp32, Dataset eval, int samples, int threads) {
        int n = Math.min(samples, eval.count());
        Path file = cacheDir.resolve("reference")
                .resolve("logits-" + modelHash.substring(0, 16) + "-"
                        + eval.contentHash().substring(0, 16) + "-n" + n + ".bin");
        float[] cached = read(file);
        if (cached != null) {
            return cached;
        }
        long start = System.nanoTime();
        float[] logits = compute(fp32, eval, n, threads);
        LOG.info(
                "fp32 reference logits of {} images in {} s",
                n,
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
        write(file, logits);
        return logits;
    }

    /** Top-1 of the first {@code n} samples of {@code data} from their logits (n x classes floats, row by row). */
    public static AccuracyResult accuracy(float[] logits, Dataset data, int n) {
        int classes = logits.length / Math.max(1, n);
        int[] predictions = new int[n];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            predictions[i] = best;
            correct += best == data.label(i) ? 1 : 0;
        }
        return new AccuracyResult(n, correct, 0, predictions);
    }

    private static float[] compute(Graph fp32, Dataset eval, int n, int threads) {
        Fp32Interpreter model = new Fp32Interpreter(fp32);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<float[]>> parts = new ArrayList<>();
            for (int s = 0; s < n; s += BATCH) {
                int first = s;
                int count = Math.min(BATCH, n - s);
                parts.add(pool.submit(() -> {
                    Tensor t = model.run(eval.batch(first, count), count);
                    return t.floats();
                }));
            }
            float[][] chunks = new float[parts.size()][];
            int total = 0;
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = parts.get(i).get();
                total += chunks[i].length;
            }
            float[] out = new float[total];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, out, at, c.length);
                at += c.length;
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fp32 reference logits interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException("fp32 reference logits failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static float[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return v;
        } catch (IOException | NegativeArraySizeException e) {
            LOG.warn("unreadable reference logits {} ({}); recomputing", file, e.getMessage());
            return null;
        }
    }

    private static void write(Path file, float[] logits) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "logits", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(logits.length);
                for (float f : logits) {
                    out.writeFloat(f);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot cache reference logits at {}: {}", file, e.getMessage());
        }
    }
}
