package dev.qtune.evaluator.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.quant.AnnotateRules;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.compiler.quant.StatsCollector;
import dev.qtune.evaluator.accuracy.AccuracyEvaluator;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.accuracy.ProgressListener;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quantizes a model under a config and measures it: calibration statistics from the cache (or
 * collected once on the calibration split), annotate / calibrate / realize, then the integer
 * interpreter, the fp32 interpreter and the simulated graph on the same evaluation samples.
 */
public final class QuantEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(QuantEvaluation.class);
    /** Samples used for the per-layer SQNR. */
    private static final int SQNR_SAMPLES = 100;

    private QuantEvaluation() {}

    /** Statistics for a model file and calibration split, from the cache when it has them. */
    public static CalibrationCache.CachedStats calibrate(
            String modelHash, Graph fp32, Dataset calibration, int samples, int threads, Path cacheDir) {
        if (samples > calibration.count() && samples != QuantConfig.DEFAULT_CALIBRATION_SAMPLES) {
            // an explicit count above the split's size is refused, not clamped; the default adapts to small sets
            throw new QtuneException("calibration_samples must be at most " + calibration.count() + " (the calibration"
                    + " split's size), but was " + samples);
        }
        int n = Math.min(samples, calibration.count());
        return CalibrationCache.getOrCompute(
                cacheDir,
                modelHash,
                calibration.contentHash(),
                n,
                () -> StatsCollector.collect(new Fp32Interpreter(fp32), n, calibration::batch, threads));
    }

    /**
     * Quantizes a model file's prepared graph under a config, with calibration statistics from the
     * cache (or collected once on the calibration split and cached): what `qtune export` needs.
     */
    public static QuantizedRun quantize(
            Path modelFile, Graph fp32, QuantConfig config, Dataset calibration, int threads, Path cacheDir) {
        return quantize(sha256(modelFile), fp32, config, calibration, threads, cacheDir);
    }

    private static QuantizedRun quantize(
            String modelHash, Graph fp32, QuantConfig config, Dataset calibration, int threads, Path cacheDir) {
        CalibrationCache.CachedStats cached =
                calibrate(modelHash, fp32, calibration, config.calibrationSamples(), threads, cacheDir);
        CalibrationStats stats = cached.stats();
        return new QuantizedRun(
                QuantizedModel.of(fp32, config, stats),
                new CalibrationRun(
                        stats.samples(),
                        cached.hit(),
                        cached.seconds(),
                        cached.file().toString()));
    }

    /** The realized graph's accuracy by the integer interpreter: {@link #run}'s usual {@code integer}. */
    public static Function<Graph, AccuracyResult> interpreter(
            Dataset eval, int limit, int threads, ProgressListener progress) {
        return realized -> AccuracyEvaluator.evaluate(new IntegerInterpreter(realized), eval, limit, threads, progress);
    }

    /**
     * Quantizes and measures, with the realized graph's accuracy measured by {@code integer} (the
     * integer interpreter, {@link #interpreter}, or native code for a target); the simulated
     * graph's agreement with the integer one is measured only when {@code compareSimulated} (it
     * costs a third pass over the samples), else it is NaN.
     */
    public static QuantEvalResult run(
            Path modelFile,
            Graph fp32,
            QuantConfig config,
            Dataset calibration,
            Dataset eval,
            int limit,
            int threads,
            Path cacheDir,
            boolean compareSimulated,
            Function<Graph, AccuracyResult> integer) {
        String modelHash = sha256(modelFile);
        QuantizedRun run = quantize(modelHash, fp32, config, calibration, threads, cacheDir);
        QuantizedModel q = run.model();
        AccuracyResult integerResult = integer.apply(q.realized());
        AccuracyResult reference = ReferencePredictions.get(cacheDir, modelHash, fp32, eval, limit, threads);
        double simulatedAgreement = Double.NaN;
        if (compareSimulated) {
            AccuracyResult simulated = AccuracyEvaluator.evaluate(
                    new Fp32Interpreter(q.simulated()), eval, limit, threads, ProgressListener.NONE);
            simulatedAgreement = QuantEvalResult.agreement(integerResult.predictions(), simulated.predictions());
        }
        List<LayerReport> layers = layerReports(fp32, q, config, eval);
        LOG.info("{}: int top-1 {} vs fp32 {}", modelFile, integerResult.top1(), reference.top1());
        return new QuantEvalResult(
                integerResult,
                reference,
                QuantEvalResult.agreement(integerResult.predictions(), reference.predictions()),
                simulatedAgreement,
                ModelSize.bytes(q.realized(), config),
                layers,
                run.calibration());
    }

    /** Each quantizable layer's bits (or skipped) and its output's SQNR against fp32. */
    private static List<LayerReport> layerReports(Graph fp32, QuantizedModel q, QuantConfig config, Dataset eval) {
        Map<String, OptionalDouble> sqnr = LayerErrors.sqnr(fp32, q.realized(), eval, SQNR_SAMPLES);
        List<LayerReport> layers = new ArrayList<>();
        for (String name : AnnotateRules.quantizableLayers(fp32)) {
            LayerQuantConfig c = config.forLayer(name);
            Node n = fp32.node(name);
            OptionalDouble db = sqnr.getOrDefault(name, OptionalDouble.empty());
            layers.add(
                    c.skip()
                            ? new LayerReport(name, n.opType(), 0, 0, true, OptionalDouble.empty())
                            : new LayerReport(name, n.opType(), c.weightBits(), c.activationBits(), false, db));
        }
        return layers;
    }

    public static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new QtuneException("cannot read model file " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
