package dev.qtune.experiments.cli;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.analysis.LayerStats;
import dev.qtune.compiler.analysis.ModelSummary;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.compiler.quant.StatsCollector;
import dev.qtune.compiler.zoo.ModelZoo;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.experiments.peer.LatencyResult;
import dev.qtune.experiments.peer.OrtRunner;
import dev.qtune.targets.HostCpu;
import dev.qtune.targets.HostLock;
import dev.qtune.targets.PeakBenchmark;
import dev.qtune.targets.PeakResult;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.TuningLog;
import dev.qtune.targets.runner.BenchResult;
import dev.qtune.targets.runner.NativeModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `qtune bench`: the peer benchmark. For each shared model (and with --zoo ResNet-18 and
 * MobileNetV2), batch 1, at 1 and 2 threads: qtune fp32, int16-activation and int8 native code on
 * this host's best target (or --target), ONNX Runtime on the same fp32 ONNX file and on qtune's QDQ
 * export; then the throughput of ResNet-18's three largest convolutions in each precision against
 * this host's measured peak for that precision.
 */
@Command(
        name = "bench",
        description =
                "Peer benchmark: qtune fp32/int16/int8 native code against ONNX Runtime (fp32 and qtune's QDQ export).")
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--qconfig",
            defaultValue = "experiments/qconfigs/int8_kl.yaml",
            paramLabel = "FILE",
            description = "Quantization config of the int8 runs (default: ${DEFAULT-VALUE}).")
    Path qconfig;

    @Option(
            names = "--qconfig16",
            defaultValue = "experiments/qconfigs/w8a16.yaml",
            paramLabel = "FILE",
            description = "Quantization config of the int16 runs (default: ${DEFAULT-VALUE}).")
    Path qconfig16;

    @Option(
            names = "--target",
            paramLabel = "T",
            description = "Target to build for (default: this host's best; e.g. x86-avx2 on a VNNI host).")
    String targetName;

    @Option(
            names = "--threads",
            split = ",",
            defaultValue = "1,2",
            description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(
            names = "--seconds",
            defaultValue = "2.0",
            description = "Minimum timed seconds per measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--zoo",
            description = "Also benchmark the zoo (ResNet-18, MobileNetV2 at 1x3x224x224, seeded weights).")
    boolean zoo;

    @Spec
    CommandSpec spec;

    private record Subject(String name, Path file, String data) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Target target = targetName == null ? bestTarget() : Targets.byName(targetName);
        if (HostCpu.detect().runMode(target) != RunMode.NATIVE) {
            throw new IllegalArgumentException("--target " + target.name() + " cannot run natively on this host: "
                    + HostCpu.detect().whyNot(target));
        }
        QuantConfig config = QuantConfigReader.read(inProject(qconfig));
        QuantConfig config16 = QuantConfigReader.read(inProject(qconfig16));
        Path work = Files.createTempDirectory("qtune-bench");
        List<Subject> subjects = subjects(work);
        out.printf(
                "# qtune bench: host %s, target %s, int8 %s, int16 %s, batch 1%n%n",
                HostCpu.detect().modelName(), target.name(), qconfig, qconfig16);
        out.println("| model | threads | qtune fp32 ms | qtune int16 ms | qtune int8 ms | ORT fp32 ms | ORT QDQ ms "
                + "| int8 / ORT QDQ | fp32 / ORT fp32 | fp32 / int8 |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        out.flush();
        for (Subject s : subjects) {
            bench(out, s, config, config16, target, work);
        }
        return 0;
    }

    /** The reference models, and the zoo's (written into {@code work}) with --zoo. */
    private List<Subject> subjects(Path work) {
        List<Subject> subjects = new ArrayList<>(List.of(
                new Subject("mlp_mnist", inProject(Path.of("models/mlp_mnist.onnx")), "mnist"),
                new Subject("lenet5_mnist", inProject(Path.of("models/lenet5_mnist.onnx")), "mnist"),
                new Subject("resnet8_fashion", inProject(Path.of("models/resnet8_fashion.onnx")), "fashion-mnist")));
        if (zoo) {
            for (Path p : ModelZoo.writeAll(work, ModelZoo.DEFAULT_SEED)) {
                subjects.add(new Subject(p.getFileName().toString().replace(".onnx", ""), p, null));
            }
        }
        return subjects;
    }

    /** One table row per thread count: qtune's fp32, int16 and int8 builds against ORT's fp32 and QDQ. */
    private void bench(PrintWriter out, Subject s, QuantConfig config, QuantConfig config16, Target target, Path work) {
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(s.file));
        QuantizedModel q = quantize(s, fp32, config);
        Path qdq = work.resolve(s.name + ".qdq.onnx");
        QdqExporter.write(q, qdq);
        NativeModel nf = build(fp32, target);
        NativeModel n16 = build(quantize(s, fp32, config16).realized(), target);
        NativeModel ni = build(q.realized(), target);
        float[] sample = sample(fp32);
        for (int t : threads) {
            boolean layers = s.name.equals("resnet18") && t == 1;
            BenchResult fb = nativeMs(nf, t, layers);
            BenchResult b16 = nativeMs(n16, t, layers);
            BenchResult ib = nativeMs(ni, t, layers);
            double f = fb.medianMs();
            double i = ib.medianMs();
            double of = ortMs(s.file, t, sample);
            double oq = ortMs(qdq, t, sample);
            out.printf(
                    "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |%n",
                    s.name, t, f, b16.medianMs(), i, of, oq, i / oq, f / of, f / i);
            out.flush();
            if (layers) {
                largestConvs(out, fp32, fb, b16, ib, target);
            }
        }
    }

    private static NativeModel build(Graph g, Target target) {
        return NativeModel.build(
                CModuleEmitter.emit(
                        g, target, ScheduleConfig.EMPTY, TuningLog.load(CalibrationCache.defaultDir(), target)),
                target,
                CalibrationCache.defaultDir(),
                List.of());
    }

    /**
     * A relative path that does not exist here, resolved against the project root (the launcher
     * sets -Dqtune.root), so the benchmark runs from any working directory.
     */
    private static Path inProject(Path p) {
        String root = System.getProperty("qtune.root");
        return p.isAbsolute() || Files.exists(p) || root == null
                ? p
                : Path.of(root).resolve(p);
    }

    /** This host's best native target, else portable C. */
    private static Target bestTarget() {
        return Targets.bestNative(HostCpu.detect()).orElseGet(() -> Targets.byName(Targets.GENERIC_C));
    }

    private QuantizedModel quantize(Subject s, Graph fp32, QuantConfig config) {
        if (s.data != null) {
            return QuantEvaluation.quantize(
                            s.file,
                            fp32,
                            config,
                            Datasets.load(s.data, "calibration"),
                            2,
                            CalibrationCache.defaultDir())
                    .model();
        }
        int per = fp32.inputs().get(0).type().shape().bind(1).numel();
        int n = 8;
        float[] data = new float[n * per];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        CalibrationStats stats = new CalibrationStats(
                s.name,
                "gaussian-7",
                n,
                StatsCollector.collect(
                        new Fp32Interpreter(fp32),
                        n,
                        (start, count) -> Arrays.copyOfRange(data, start * per, (start + count) * per),
                        2));
        return QuantizedModel.of(fp32, config, stats);
    }

    private static float[] sample(Graph fp32) {
        int per = fp32.inputs().get(0).type().shape().bind(1).numel();
        float[] x = new float[per];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < per; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    private BenchResult nativeMs(NativeModel m, int t, boolean layers) {
        BenchResult b = m.bench(t, seconds, layers, NativeModel.defaultTimeout());
        if (!b.ok()) {
            throw new QtuneException("native benchmark failed: " + b.reason());
        }
        return b;
    }

    private double ortMs(Path file, int t, float[] sample) {
        try (OrtRunner ort = OrtRunner.open(file, t, OptLevel.ALL_OPT);
                var lock = HostLock.acquire(HostLock.lockFileIn(CalibrationCache.defaultDir()))) {
            LatencyResult l = ort.latency(sample, 10, Duration.ofMillis((long) (seconds * 1000)));
            return l.medianMs();
        }
    }

    /** GMAC/s of the three convolutions with the most MACs in fp32, int16 and int8, against this host's measured peaks. */
    private static void largestConvs(
            PrintWriter out, Graph fp32, BenchResult f, BenchResult i16, BenchResult i8, Target target) {
        PeakResult peak = PeakBenchmark.measure(target, CalibrationCache.defaultDir());
        List<LayerStats> convs = ModelSummary.of(fp32).layers().stream()
                .filter(l -> l.op().equals("Conv"))
                .sorted(Comparator.comparingLong(LayerStats::macs).reversed())
                .limit(3)
                .toList();
        out.printf("%n| layer (1 thread) | MACs | fp32 | int16 | int8 |%n| --- | --- | --- | --- | --- |%n");
        for (LayerStats l : convs) {
            out.printf(
                    "| %s | %,d | %s | %s | %s |%n",
                    l.name(),
                    l.macs(),
                    share(l, f, peak.fp32Gmacs()),
                    share(l, i16, peak.int16Gmacs()),
                    share(l, i8, peak.int8Gmacs()));
        }
        out.printf(
                "%nPeaks, one core (`qtune targets --peak`): fp32 %.1f, int16 %.1f, int8 %.1f GMAC/s (%s).%n%n",
                peak.fp32Gmacs(), peak.int16Gmacs(), peak.int8Gmacs(), peak.int8Instruction());
    }

    /** "ms = GMAC/s (share of peak)" of one layer in one run. */
    private static String share(LayerStats l, BenchResult b, double peak) {
        double ms = b.layers().stream()
                .filter(x -> x.name().equals(l.name()))
                .mapToDouble(BenchResult.LayerTime::ms)
                .findFirst()
                .orElse(Double.NaN);
        double gmacs = l.macs() / (ms * 1e6);
        return String.format("%.3f ms = %.1f GMAC/s (%.0f%%)", ms, gmacs, 100 * gmacs / peak);
    }
}
