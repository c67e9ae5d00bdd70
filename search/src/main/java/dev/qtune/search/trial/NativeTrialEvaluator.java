package dev.qtune.search.trial;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.QdqImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantizeAnnotatePass;
import dev.qtune.compiler.quant.QuantizeCalibratePass;
import dev.qtune.compiler.quant.QuantizeRealizePass;
import dev.qtune.evaluator.accuracy.OutputAgreement;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.evaluator.metric.Metrics;
import dev.qtune.evaluator.quant.ModelSize;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.ReferenceLogits;
import dev.qtune.search.space.BaselineDecoder;
import dev.qtune.targets.Toolchain;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.TuningLog;
import dev.qtune.targets.runner.BenchResult;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real trial: thresholds from the cached calibration statistics, realize, generate C for the
 * target, build (cached), run the validation samples natively (the test set for a final
 * re-measure), score the outputs with the search's metric (top-1, top-k, agreement, or a user's
 * command: its failure fails the trial in the "accuracy" stage), benchmark batch-1 latency, and
 * size the constants. A baseline (a pre-quantized
 * file) is imported instead of calibrated and realized, and goes through the same later stages.
 * Any failure on the way is a FAILED result naming the stage.
 *
 * <p>Latency is measured while no other trial of this JVM is working: every stage takes the read
 * side of one lock and the benchmark its write side (across processes, the targets' host-wide
 * benchmark lock keeps benchmarks from overlapping).
 */
public final class NativeTrialEvaluator implements TrialEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeTrialEvaluator.class);
    private static final ReadWriteLock QUIET = new ReentrantReadWriteLock(true);

    private final TrialSetup setup;
    private final CalibrationStats stats;
    private final Provenance provenance;
    private float[] finalLogits;
    /** Timings by speed key and timing length (see {@link #latency}). */
    private final Map<String, List<BenchResult>> timed = new ConcurrentHashMap<>();
    /** Timings of one speed key after which its trials take their median. */
    static final int TIMINGS_PER_SPEED = 3;

    /** Loads (or collects once, and caches) the calibration statistics for {@code samples} calibration images. */
    public NativeTrialEvaluator(TrialSetup setup, int calibrationSamples) {
        this.setup = setup;
        this.stats = QuantEvaluation.calibrate(
                        setup.modelHash(),
                        setup.fp32(),
                        setup.calibration(),
                        calibrationSamples,
                        setup.inferThreads(),
                        setup.cacheDir())
                .stats();
        this.provenance = new Provenance(
                setup.modelHash(),
                setup.validation().contentHash(),
                setup.target().name(),
                Toolchain.find(setup.target()).map(Toolchain::version).orElse("none"),
                hostName(),
                setup.seed(),
                setup.benchThreads());
    }

    /** This JVM's provenance for its trials (model and data hashes, target, compiler, host, seed, threads). */
    public Provenance provenance() {
        return provenance;
    }

    @Override
    public TrialResult evaluate(TrialSpec spec) {
        Attempt a = new Attempt(spec, provenance, "calibrate");
        try {
            QuantConfig q = spec.decoded().qconfig();
            Graph calibrated = quiet(() -> PassPipeline.apply(
                    new QuantizeCalibratePass(stats, q),
                    PassPipeline.apply(new QuantizeAnnotatePass(q), setup.fp32())));
            double calibrate = a.watch.lap();
            a.stage = "quantize";
            Graph realized = quiet(() -> PassPipeline.apply(new QuantizeRealizePass(), calibrated));
            return measure(a, realized, calibrate, a.watch.lap());
        } catch (RuntimeException | OutOfMemoryError e) {
            return a.failed(e);
        }
    }

    /**
     * A baseline (docs/formats.md): the pre-quantized ONNX file imported with the file's own scales
     * (the "quantize" stage, nothing calibrated), then the same compile, accuracy and latency stages
     * as a search trial, on the validation samples. Its spec is built here, from what the import
     * reads (see {@link BaselineDecoder}); the provenance's model hash is the file's. A file that
     * cannot be read or imported is a FAILED result naming the "import" stage.
     */
    public TrialResult evaluateBaseline(int number, String label, Path file, int samples, double benchSeconds) {
        return evaluateBaseline(TrialKind.BASELINE, number, label, file, samples, benchSeconds);
    }

    /**
     * A baseline as above, as a search-time reference ({@code kind} BASELINE, on the validation
     * images) or re-measured at the end ({@code kind} FINAL, on the final split; {@code label} then
     * names the baseline's record).
     */
    public TrialResult evaluateBaseline(
            TrialKind kind, int number, String label, Path file, int samples, double benchSeconds) {
        Attempt a = new Attempt(
                new TrialSpec(number, 0, kind, label, BaselineDecoder.unread(""), samples, benchSeconds),
                provenance,
                "import");
        try {
            String sha = QuantEvaluation.sha256(file);
            a.spec = a.spec.withDecoded(BaselineDecoder.unread(sha));
            a.provenance = new Provenance(
                    sha,
                    provenance.dataSha256(),
                    provenance.target(),
                    provenance.compiler(),
                    provenance.host(),
                    provenance.seed(),
                    provenance.threads());
            if (!QdqImporter.isPreQuantized(file)) {
                return a.failed(file + " is not a pre-quantized model: it has no QuantizeLinear, DequantizeLinear or "
                        + "quantized operator (a baseline is a QDQ file, e.g. from `qtune export`)");
            }
            PreQuantizedModel model = quiet(() -> QdqImporter.load(file));
            a.spec = a.spec.withDecoded(BaselineDecoder.decode(model, sha));
            return measure(a, model.realized(), 0, a.watch.lap());
        } catch (RuntimeException | OutOfMemoryError e) {
            return a.failed(e);
        }
    }

    /**
     * Times modules side by side: {@code rounds} rounds, each benchmarking every module for
     * {@code seconds / rounds} in an order rotated by one per round, so that a slow stretch of the
     * host (another process, a frequency change) slows each module alike instead of whichever ran
     * then. A module's figures are the medians over the rounds of its median, p10 and p90. The
     * modules are the trials' (calibrated and realized again from their specs) and the baselines'
     * (imported again), built through the cache, on this host. A module that cannot be built or
     * timed is left out of the answer.
     *
     * @param trials    id to trial spec
     * @param baselines id to pre-quantized file
     */
    public Map<String, BenchResult> benchSideBySide(
            Map<String, TrialSpec> trials, Map<String, Path> baselines, double seconds, int rounds) {
        Map<String, NativeModel> models = new LinkedHashMap<>();
        trials.forEach((id, spec) -> build(
                        id,
                        () -> realized(spec.decoded().qconfig()),
                        spec.decoded().schedule())
                .ifPresent(m -> models.put(id, m)));
        baselines.forEach((id, file) -> build(id, () -> QdqImporter.load(file).realized(), ScheduleConfig.EMPTY)
                .ifPresent(m -> models.put(id, m)));
        List<String> ids = new ArrayList<>(models.keySet());
        Map<String, List<BenchResult>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get((i + round) % ids.size());
                BenchResult b = bench(models.get(id), seconds / rounds);
                if (b.ok()) {
                    runs.computeIfAbsent(id, k -> new ArrayList<>()).add(b);
                } else {
                    LOG.warn("side-by-side timing of {} failed: {}", id, b.reason());
                }
            }
        }
        Map<String, BenchResult> out = new LinkedHashMap<>();
        runs.forEach((id, list) -> {
            if (list.size() == rounds) {
                out.put(id, medians(list));
            }
        });
        return out;
    }

    private Optional<NativeModel> build(String id, Supplier<Graph> realized, ScheduleConfig schedule) {
        try {
            Graph g = quiet(realized);
            return Optional.of(quiet(() -> NativeModel.build(
                    CModuleEmitter.emit(g, setup.target(), schedule, TuningLog.load(setup.cacheDir(), setup.target())),
                    setup.target(),
                    setup.cacheDir(),
                    List.of())));
        } catch (RuntimeException e) {
            LOG.warn("cannot build {} for side-by-side timing: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /** One module's figures over the rounds: the medians of its median, p10 and p90. */
    private static BenchResult medians(List<BenchResult> list) {
        return new BenchResult(
                true,
                "",
                list.stream().mapToInt(BenchResult::runs).sum(),
                list.get(0).threads(),
                median(list, BenchResult::medianMs),
                median(list, BenchResult::p10Ms),
                median(list, BenchResult::p90Ms),
                List.of(),
                list.get(0).process());
    }

    private static double median(List<BenchResult> list, ToDoubleFunction<BenchResult> f) {
        double[] v = list.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** A config calibrated with this evaluator's statistics and realized (e.g. the base config, to tune its layers). */
    public Graph realized(QuantConfig q) {
        Graph calibrated = PassPipeline.apply(
                new QuantizeCalibratePass(stats, q), PassPipeline.apply(new QuantizeAnnotatePass(q), setup.fp32()));
        return PassPipeline.apply(new QuantizeRealizePass(), calibrated);
    }

    /** The stages after realization: emit C and build, native accuracy, latency, size. */
    private TrialResult measure(Attempt a, Graph realized, double calibrate, double quantize) {
        TrialSpec spec = a.spec;
        a.stage = "compile";
        // layers the trial's schedule leaves open take the tuning log's best schedule (qtune tune)
        CModule module = quiet(() -> CModuleEmitter.emit(
                realized, setup.target(), spec.decoded().schedule(), TuningLog.load(setup.cacheDir(), setup.target())));
        a.used = module.schedule();
        NativeModel model = quiet(() -> NativeModel.build(module, setup.target(), setup.cacheDir(), List.of()));
        double compile = a.watch.lap();
        a.stage = "accuracy";
        Dataset data = spec.kind() == TrialKind.FINAL ? setup.test() : setup.validation();
        int n = spec.samples() == 0 ? data.count() : Math.min(spec.samples(), data.count());
        InferResult r =
                quiet(() -> model.infer(data.batch(0, n), n, setup.inferThreads(), NativeModel.defaultTimeout()));
        if (!r.ok()) {
            return a.failed(r.reason());
        }
        OutputAgreement paired = paired(spec, r.outputs(), n);
        double top1 = data.labeled() ? correct(r.predictions(), data, n) / (double) n : Double.NaN;
        double score = score(data, n, r.outputs(), top1, paired);
        double accuracy = a.watch.lap();
        a.stage = "latency";
        BenchResult b = latency(module, model, spec);
        if (!b.ok()) {
            return a.failed(b.reason());
        }
        double latency = a.watch.lap();
        TrialMetrics m = new TrialMetrics(
                top1,
                n,
                b.medianMs(),
                b.p10Ms(),
                b.p90Ms(),
                ModelSize.bytes(realized, spec.decoded().qconfig()),
                paired.agreement(),
                paired.divergence(),
                score);
        StageTimes times = new StageTimes(calibrate, quantize, compile, accuracy, latency, a.watch.total());
        return new TrialResult(spec, TrialStatus.OK, "", Optional.of(m), times, a.provenance, a.used, Instant.now());
    }

    /** The experiment's metric: top-1 or agreement where known, else computed from the outputs. */
    private double score(Dataset data, int n, float[] outputs, double top1, OutputAgreement paired) {
        MetricSpec metric = setup.metric();
        if (metric.kind() == MetricSpec.Kind.TOP1 && data.labeled()) {
            return top1;
        }
        if (metric.kind() == MetricSpec.Kind.AGREEMENT && !Double.isNaN(paired.agreement())) {
            return paired.agreement();
        }
        return quiet(() -> Metrics.score(
                metric,
                data,
                n,
                outputs,
                Metrics.sampleShape(setup.fp32(), outputs.length / n),
                metric.needsReference() ? finalReference() : null));
    }

    /** Agreement and KL divergence against fp32 on the validation images, where their logits are known (NaN otherwise). */
    private OutputAgreement paired(TrialSpec spec, float[] outputs, int n) {
        float[] reference = setup.validationLogits();
        if (spec.kind() == TrialKind.FINAL || reference.length < outputs.length || outputs.length % n != 0) {
            return new OutputAgreement(Double.NaN, Double.NaN);
        }
        return OutputAgreement.of(reference, outputs, n);
    }

    /**
     * The fp32 model's logits on the final split (for the agreement metric of a final re-measure),
     * computed once per evaluator (and cached on disk).
     */
    private synchronized float[] finalReference() {
        if (finalLogits == null) {
            finalLogits = ReferenceLogits.get(
                    setup.cacheDir(),
                    setup.modelHash(),
                    setup.fp32(),
                    setup.test(),
                    setup.test().count(),
                    Runtime.getRuntime().availableProcessors());
        }
        return finalLogits;
    }

    /**
     * A trial's latency. Trials whose modules run the same code on the same shapes (the same speed
     * key: they differ only in constants such as scales, multipliers and weights) take the same
     * time, so a speed key is timed {@value #TIMINGS_PER_SPEED} times (with the same timing
     * length) and later trials with it take the median of those runs: configs whose code is the
     * same are not ranked by timing noise, and no time goes to timing them again (in a sensitivity
     * analysis, the base config's repeats are the three timings). The final re-measure always times.
     */
    private BenchResult latency(CModule module, NativeModel model, TrialSpec spec) {
        if (spec.kind() == TrialKind.FINAL) {
            return bench(model, spec.benchSeconds());
        }
        List<BenchResult> known = timed.computeIfAbsent(
                module.speedKey() + "|" + spec.benchSeconds(), k -> Collections.synchronizedList(new ArrayList<>()));
        synchronized (known) {
            if (known.size() >= TIMINGS_PER_SPEED) {
                List<BenchResult> sorted = new ArrayList<>(known);
                sorted.sort(Comparator.comparingDouble(BenchResult::medianMs));
                return sorted.get(sorted.size() / 2);
            }
        }
        BenchResult b = bench(model, spec.benchSeconds());
        if (b.ok()) {
            known.add(b);
        }
        return b;
    }

    private BenchResult bench(NativeModel model, double seconds) {
        QUIET.writeLock().lock();
        try {
            return model.bench(setup.benchThreads(), seconds, false, NativeModel.defaultTimeout());
        } finally {
            QUIET.writeLock().unlock();
        }
    }

    private static <T> T quiet(Supplier<T> work) {
        QUIET.readLock().lock();
        try {
            return work.get();
        } finally {
            QUIET.readLock().unlock();
        }
    }

    private static int correct(int[] predictions, Dataset data, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += predictions[i] == data.label(i) ? 1 : 0;
        }
        return c;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One trial on its way: its spec and provenance (a baseline's become known as it runs), stage and schedule so far. */
    private static final class Attempt {
        private final Stopwatch watch = new Stopwatch();
        private TrialSpec spec;
        private Provenance provenance;
        private String stage;
        private ScheduleConfig used = ScheduleConfig.EMPTY;

        Attempt(TrialSpec spec, Provenance provenance, String stage) {
            this.spec = spec;
            this.provenance = provenance;
            this.stage = stage;
        }

        TrialResult failed(Throwable e) {
            // one line: the reason goes into the trial record; the trace only with debug logging
            LOG.warn("trial {} failed in {}: {}", spec.id(), stage, e.toString());
            LOG.debug("trial {} failed in {}", spec.id(), stage, e);
            return failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }

        TrialResult failed(String reason) {
            return new TrialResult(
                    spec,
                    TrialStatus.FAILED,
                    stage + ": " + reason.strip(),
                    Optional.empty(),
                    new StageTimes(0, 0, 0, 0, 0, watch.total()),
                    provenance,
                    used,
                    Instant.now());
        }
    }

    /** Seconds since the last lap, and in all. */
    private static final class Stopwatch {
        private final long start = System.nanoTime();
        private long last = start;

        double lap() {
            long now = System.nanoTime();
            double s = (now - last) / 1e9;
            last = now;
            return s;
        }

        double total() {
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
