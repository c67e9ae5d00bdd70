package dev.qtune.evaluator.quant;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.accuracy.ProgressListener;
import dev.qtune.evaluator.data.Dataset;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fp32 model's predictions on an evaluation split, which every quantized config of the same
 * model is compared against: computed once per (model, split, sample count) and kept in the cache
 * folder ({@code reference/} beside {@code calibration/}), so a search does not rerun fp32 per trial.
 * An unreadable file is recomputed; a cache that cannot be written only costs time.
 */
public final class ReferencePredictions {
    private static final Logger LOG = LoggerFactory.getLogger(ReferencePredictions.class);
    private static final int MAGIC = 0x51524546; // "QREF"

    private ReferencePredictions() {}

    public static AccuracyResult get(
            Path cacheDir, String modelHash, Graph fp32, Dataset eval, int limit, int threads) {
        int samples = limit <= 0 ? eval.count() : Math.min(limit, eval.count());
        Path file = cacheDir.resolve("reference")
                .resolve("preds-" + modelHash.substring(0, 16) + "-"
                        + eval.contentHash().substring(0, 16) + "-n" + samples + ".bin");
        int[] cached = read(file, samples);
        if (cached != null) {
            LOG.info("fp32 reference predictions from the cache: {}", file);
            int correct = 0;
            for (int i = 0; i < samples; i++) {
                correct += cached[i] == eval.label(i) ? 1 : 0;
            }
            return new AccuracyResult(samples, correct, 0, cached);
        }
        AccuracyResult r =
                AccuracyEvaluator.evaluate(new Fp32Interpreter(fp32), eval, samples, threads, ProgressListener.NONE);
        write(file, r.predictions());
        return r;
    }

    private static int[] read(Path file, int samples) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != MAGIC || in.readInt() != samples) {
                return null;
            }
            int[] p = new int[samples];
            for (int i = 0; i < samples; i++) {
                p[i] = in.readInt();
            }
            return p;
        } catch (IOException e) {
            LOG.warn("unreadable reference predictions {} ({}); recomputing", file, e.getMessage());
            return null;
        }
    }

    private static void write(Path file, int[] predictions) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "preds", ".tmp");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
                out.writeInt(MAGIC);
                out.writeInt(predictions.length);
                for (int p : predictions) {
                    out.writeInt(p);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot cache reference predictions at {}: {}", file, e.getMessage());
        }
    }
}
