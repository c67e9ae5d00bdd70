package dev.qtune.experiments.peer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.qtune.compiler.QtuneException;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime as the peer of qtune's benchmarks: one session on an ONNX file with
 * {@code threads} intra-op threads (inter-op 1, sequential execution) and an optimisation level
 * (NO_OPT runs the graph as written, ALL_OPT lets ORT fuse QDQ patterns into integer kernels).
 * Runs a single-input model: batches of a dataset for accuracy (prediction = argmax of the first
 * output) and a batch-1 latency benchmark. Not thread-safe; close it when done.
 */
public final class OrtRunner implements AutoCloseable {
    public static final int DEFAULT_BATCH = 50;
    private static final Logger LOG = LoggerFactory.getLogger(OrtRunner.class);

    private final Path model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;

    private OrtRunner(Path model, OrtEnvironment env, OrtSession session, String inputName, long[] inputShape) {
        this.model = model;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.inputShape = inputShape;
    }

    /** Opens a session; the model must have one input. */
    public static OrtRunner open(Path model, int threads, OptLevel level) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
        }
        if (!Files.isRegularFile(model)) {
            throw new QtuneException("model file not found: " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(level);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            long start = System.nanoTime();
            OrtSession session = env.createSession(model.toString(), options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                session.close();
                throw new QtuneException(model + ": ONNX Runtime peer needs a model with one input, but it has "
                        + inputs.size() + " " + inputs.keySet());
            }
            var input = inputs.entrySet().iterator().next();
            long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape();
            LOG.info(
                    "ORT session on {} ({} threads, {}) in {} ms",
                    model,
                    threads,
                    level,
                    (System.nanoTime() - start) / 1_000_000);
            return new OrtRunner(model, env, session, input.getKey(), shape);
        } catch (OrtException e) {
            throw new QtuneException("ONNX Runtime cannot open " + model + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code batch} samples laid out as the model input (batch axis first); returns the first output. */
    public float[] run(float[] input, int batch) {
        long[] shape = inputShape.clone();
        shape[0] = batch;
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new QtuneException(model + ": input '" + inputName + "' dimension " + i
                        + " must be static (only the batch axis may be symbolic), but is " + shape[i]);
            }
            numel *= shape[i];
        }
        if (numel != input.length) {
            throw new QtuneException(model + ": input '" + inputName + "' of shape " + Arrays.toString(shape)
                    + " needs " + numel + " values, but got " + input.length);
        }
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result r = session.run(Map.of(inputName, x))) {
            OnnxValue out = r.get(0);
            FloatBuffer fb = ((OnnxTensor) out).getFloatBuffer();
            float[] y = new float[fb.remaining()];
            fb.get(y);
            return y;
        } catch (OrtException e) {
            throw new QtuneException("ONNX Runtime failed to run " + model + ": " + e.getMessage(), e);
        }
    }

    /** Top-1 over the first {@code limit} samples (all when {@code limit <= 0}), in batches of {@code batch}. */
    public AccuracyResult evaluate(Dataset data, int limit, int batch) {
        int samples = limit <= 0 ? data.count() : Math.min(limit, data.count());
        int[] predictions = new int[samples];
        long start = System.nanoTime();
        for (int s = 0; s < samples; s += batch) {
            int n = Math.min(batch, samples - s);
            float[] logits = run(data.batch(s, n), n);
            int classes = logits.length / n;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits[i * classes + c] > logits[i * classes + best]) {
                        best = c;
                    }
                }
                predictions[s + i] = best;
            }
        }
        int correct = 0;
        for (int i = 0; i < samples; i++) {
            correct += predictions[i] == data.label(i) ? 1 : 0;
        }
        return new AccuracyResult(samples, correct, (System.nanoTime() - start) / 1e9, predictions);
    }

    /**
     * Batch-1 latency: {@code warmup} untimed calls, then timed calls until at least {@code minTime}
     * has passed and at least 10 calls were timed.
     */
    public LatencyResult latency(float[] sample, int warmup, Duration minTime) {
        for (int i = 0; i < warmup; i++) {
            run(sample, 1);
        }
        List<Double> times = new ArrayList<>();
        long deadline = System.nanoTime() + minTime.toNanos();
        while (times.size() < 10 || System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            run(sample, 1);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return LatencyResult.of(times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the ORT session on {} failed: {}", model, e.getMessage());
        }
    }
}
