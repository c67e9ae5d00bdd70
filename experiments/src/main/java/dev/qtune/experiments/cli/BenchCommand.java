package dev.qtune.experiments.cli;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
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
import dev.qtune.targets.PeakBenchmark;
import dev.qtune.targets.PeakResult;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModuleEmitter;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `qtune bench`: the peer benchmark. For each shared model (and with --zoo ResNet-18 and
 * MobileNetV2), batch 1, at 1 and 2 threads: qtune fp32 and qtune int8 native code on this host's
 * best target, ONNX Runtime on the same fp32 ONNX file and on qtune's QDQ export; then the int8
 * throughput of ResNet-18's three largest convolutions against this host's int8 peak.
 */
@Command(name = "bench", description = "Peer benchmark: qtune fp32/int8 native code against ONNX Runtime (fp32 and qtune's QDQ export).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--qconfig", defaultValue = "experiments/qconfigs/int8_kl.yaml", paramLabel = "FILE",
            description = "Quantization config of the int8 runs (default: ${DEFAULT-VALUE}).")
    Path qconfig;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "2.0", description = "Minimum timed seconds per measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--zoo", description = "Also benchmark the zoo (ResNet-18, MobileNetV2 at 1x3x224x224, seeded weights).")
    boolean zoo;

    @Spec
    CommandSpec spec;

    private record Subject(String name, Path file, String data) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Target target = bestTarget();
        QuantConfig config = QuantConfigReader.read(inProject(qconfig));
        List<Subject> subjects = new ArrayList<>(List.of(
                new Subject("mlp_mnist", inProject(Path.of("models/mlp_mnist.onnx")), "mnist"),
                new Subject("lenet5_mnist", inProject(Path.of("models/lenet5_mnist.onnx")), "mnist"),
                new Subject("resnet8_fashion", inProject(Path.of("models/resnet8_fashion.onnx")), "fashion-mnist")));
        Path work = Files.createTempDirectory("qtune-bench");
        if (zoo) {
            for (Path p : ModelZoo.writeAll(work, ModelZoo.DEFAULT_SEED)) {
                subjects.add(new Subject(p.getFileName().toString().replace(".onnx", ""), p, null));
            }
        }
        out.printf("# qtune bench: host %s, target %s, config %s, batch 1%n%n", HostCpu.detect().modelName(),
                target.name(), qconfig);
        out.println("| model | threads | qtune fp32 ms | qtune int8 ms | ORT fp32 ms | ORT QDQ ms | int8 / ORT QDQ | int8 / ORT fp32 | fp32 / int8 |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        out.flush();
        for (Subject s : subjects) {
            Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(s.file));
            QuantizedModel q = quantize(s, fp32, config);
            Path qdq = work.resolve(s.name + ".qdq.onnx");
            QdqExporter.write(q, qdq);
            NativeModel nf = NativeModel.build(CModuleEmitter.emit(fp32, target, ScheduleConfig.EMPTY), target,
                    CalibrationCache.defaultDir(), List.of());
            NativeModel ni = NativeModel.build(CModuleEmitter.emit(q.realized(), target, ScheduleConfig.EMPTY), target,
                    CalibrationCache.defaultDir(), List.of());
            float[] sample = sample(fp32);
            for (int t : threads) {
                double f = nativeMs(nf, t, false).medianMs();
                BenchResult ib = nativeMs(ni, t, s.name.equals("resnet18"));
                double i = ib.medianMs();
                double of = ortMs(s.file, t, sample);
                double oq = ortMs(qdq, t, sample);
                out.printf("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |%n", s.name, t, f, i, of, oq,
                        i / oq, i / of, f / i);
                out.flush();
                if (s.name.equals("resnet18") && t == 1) {
                    largestConvs(out, fp32, ib, target);
                }
            }
        }
        return 0;
    }

    /**
     * A relative path that does not exist here, resolved against the project root (the launcher
     * sets -Dqtune.root), so the benchmark runs from any working directory.
     */
    private static Path inProject(Path p) {
        String root = System.getProperty("qtune.root");
        return p.isAbsolute() || Files.exists(p) || root == null ? p : Path.of(root).resolve(p);
    }

    private static Target bestTarget() {
        HostCpu host = HostCpu.detect();
        for (String n : List.of(Targets.X86_AVX512_VNNI, Targets.X86_AVX2, Targets.AARCH64_NEON_DOT, Targets.GENERIC_C)) {
            Target t = Targets.byName(n);
            if (host.runMode(t) == RunMode.NATIVE) {
                return t;
            }
        }
        return Targets.byName(Targets.GENERIC_C);
    }

    private QuantizedModel quantize(Subject s, Graph fp32, QuantConfig config) {
        if (s.data != null) {
            return QuantEvaluation.quantize(s.file, fp32, config, Datasets.load(s.data, "calibration"), 2,
                    CalibrationCache.defaultDir()).model();
        }
        int per = fp32.inputs().get(0).type().shape().bind(1).numel();
        int n = 8;
        float[] data = new float[n * per];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        CalibrationStats stats = new CalibrationStats(s.name, "gaussian-7", n, StatsCollector.collect(new Fp32Interpreter(fp32),
                n, (start, count) -> Arrays.copyOfRange(data, start * per, (start + count) * per), 2));
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
            throw new dev.qtune.compiler.QtuneException("native benchmark failed: " + b.reason());
        }
        return b;
    }

    private double ortMs(Path file, int t, float[] sample) {
        try (OrtRunner ort = OrtRunner.open(file, t, OptLevel.ALL_OPT);
             var lock = dev.qtune.targets.HostLock.acquire(dev.qtune.targets.HostLock.lockFileIn(CalibrationCache.defaultDir()))) {
            LatencyResult l = ort.latency(sample, 10, Duration.ofMillis((long) (seconds * 1000)));
            return l.medianMs();
        }
    }

    /** GMAC/s of the three convolutions with the most MACs, against this host's measured int8 peak. */
    private static void largestConvs(PrintWriter out, Graph fp32, BenchResult b, Target target) {
        PeakResult peak = PeakBenchmark.measure(target, CalibrationCache.defaultDir());
        List<LayerStats> convs = ModelSummary.of(fp32).layers().stream().filter(l -> l.op().equals("Conv"))
                .sorted(Comparator.comparingLong(LayerStats::macs).reversed()).limit(3).toList();
        for (LayerStats l : convs) {
            double ms = b.layers().stream().filter(x -> x.name().equals(l.name())).mapToDouble(BenchResult.LayerTime::ms)
                    .findFirst().orElse(Double.NaN);
            double gmacs = l.macs() / (ms * 1e6);
            out.printf("|   %s (%,d MACs) | 1 | | %.3f ms = %.1f GMAC/s (%.0f%% of int8 peak %.1f GMAC/s, %s) | | | | | |%n",
                    l.name(), l.macs(), ms, gmacs, 100 * gmacs / peak.int8Gmacs(), peak.int8Gmacs(), peak.int8Instruction());
        }
    }
}
