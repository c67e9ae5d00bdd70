package dev.qtune.experiments.cli;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.QuantizedRun;
import dev.qtune.targets.LibraryBuild;
import dev.qtune.targets.LibraryResult;
import dev.qtune.targets.LibrarySpec;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.codegen.TuningLog;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune build CONFIG --out DIR [--model MODEL --data NAME] [--target T] [--samples N]`: quantizes
 * the model under a quant config (a search's best/*.yaml, whose run gives the model, the dataset
 * and, through its schedule, the target; or any config with --model and --data), generates its C
 * module with the config's schedule and writes a deployable library (docs/formats.md, "qtune build").
 */
@Command(
        name = "build",
        description = "Build a quantized model as a C library (static and shared), with its header, "
                + "an example program and a README.")
final class BuildCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "CONFIG",
            description = "Quant config: a search's RUN/best/tNNNN.yaml (model and dataset from the run), or any "
                    + "quant config file with --model and --data.")
    Path config;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write (created; must be empty or hold an earlier build).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL", description = "fp32 ONNX model (default: the run's).")
    Path model;

    @Option(
            names = "--data",
            paramLabel = "NAME|SPEC.yaml",
            description = "Dataset whose calibration split calibrates the model (default: the run's).")
    String data;

    @Option(
            names = "--target",
            paramLabel = "T",
            description = "Target to build for (default: the config's schedule.target, else this host's best native "
                    + "target); see `qtune targets`.")
    String target;

    @Option(
            names = "--samples",
            defaultValue = "0",
            paramLabel = "N",
            description = "Also write the first N images of --split as samples.f32 (and their labels as "
                    + "samples_labels.txt) for example.c (default: none).")
    int samples;

    @Option(
            names = "--split",
            defaultValue = "test",
            paramLabel = "S",
            description = "The split --samples reads (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads for calibration (default: all cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        int workers = workers(cmd);
        QuantConfigFile file = QuantConfigReader.readFile(config);
        BuildSource source = BuildSource.of(cmd, config, model, data);
        Target t = target(cmd, file);
        ConfigSchedule.forTarget(file, config, t); // before calibrating
        Graph graph = ModelLoader.forExecution(source.model());
        QuantizedRun run = QuantEvaluation.quantize(
                source.model(),
                graph,
                file.config(),
                Datasets.load(source.data(), "calibration"),
                workers,
                CalibrationCache.defaultDir());
        QuantizedEval.report(run.calibration(), cmd.getErr());
        Graph realized = run.model().realized();
        CModule module = ConfigSchedule.generate(
                file,
                config,
                () -> CModuleEmitter.emit(
                        realized, t, file.schedule(), TuningLog.load(CalibrationCache.defaultDir(), t)),
                m -> m);
        LibraryResult r = LibraryBuild.build(module, t, spec(source, realized), out, sampleFiles(source, module));
        printWritten(cmd.getOut(), source, t, module, file, r);
        return 0;
    }

    /** --target, else the target the config's schedule was found for, else this host's best native target. */
    private Target target(CommandLine cmd, QuantConfigFile file) {
        String name = target != null ? target : file.scheduleTarget().orElse(null);
        if (name == null) {
            return HostTarget.resolve(cmd, Targets.AUTO);
        }
        try {
            return Targets.byName(name);
        } catch (IllegalArgumentException e) {
            throw target != null
                    ? new CommandLine.ParameterException(cmd, "--target: " + e.getMessage())
                    : new QuantConfigException(config + ": schedule.target: " + e.getMessage());
        }
    }

    private static LibrarySpec spec(BuildSource source, Graph g) {
        ValueInfo in = g.inputs().get(0);
        ValueInfo outValue = g.outputs().get(0);
        return new LibrarySpec(
                source.model().toString(),
                source.config().toString(),
                in.name(),
                dims(in),
                outValue.name(),
                dims(outValue),
                "The values are those qtune feeds the model from dataset "
                        + LibrarySpec.safe(source.data())
                        + ": its images as its spec scales them (pixel / 255 for mnist "
                        + "and fashion-mnist).");
    }

    private static List<Integer> dims(ValueInfo v) {
        return Arrays.stream(v.type().shape().bind(1).dims()).boxed().toList();
    }

    /** samples.f32 (little-endian float32, sample after sample) and samples_labels.txt, when --samples asks. */
    private Map<String, byte[]> sampleFiles(BuildSource source, CModule module) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (samples == 0) {
            return files;
        }
        Dataset d = Datasets.load(source.data(), split);
        if (d.imageSize() != module.inputSize()) {
            throw new QtuneException("--samples: the images of " + d.name() + "/" + split + " hold " + d.imageSize()
                    + " values, but the model's input takes " + module.inputSize());
        }
        int n = Math.min(samples, d.count());
        float[] values = d.batch(0, n);
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        files.put("samples.f32", b.array());
        if (d.labeled()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(i).append(' ').append(d.label(i)).append('\n');
            }
            files.put("samples_labels.txt", sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    /** --threads (default: all cores), checked with --samples. */
    private int workers(CommandLine cmd) {
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || samples < 0) {
            throw new CommandLine.ParameterException(
                    cmd,
                    workers < 1
                            ? "--threads must be >= 1, but was " + workers
                            : "--samples must be >= 0, but was " + samples);
        }
        return workers;
    }

    /** What was written, and how to compile the example against it. */
    private void printWritten(
            PrintWriter o, BuildSource source, Target t, CModule module, QuantConfigFile file, LibraryResult r) {
        o.printf(
                Locale.ROOT,
                "wrote %s: %s, %s, %s, %s, %s and %d module sources of %s under %s for %s (%d layers, %s"
                        + "), compiled in %.1f s%n",
                out,
                LibraryBuild.STATIC_LIBRARY,
                LibraryBuild.SHARED_LIBRARY,
                LibraryBuild.HEADER,
                LibraryBuild.EXAMPLE,
                LibraryBuild.README,
                r.files().stream()
                        .filter(f -> f.matches(".*\\.(c|h|bin)")
                                && !f.equals(LibraryBuild.HEADER)
                                && !f.equals(LibraryBuild.EXAMPLE))
                        .count(),
                source.model(),
                config,
                t.name(),
                module.layers().size(),
                file.hasSchedule()
                        ? "schedule of " + file.schedule().layers().size() + " layers from the config"
                        : "default schedules",
                r.seconds());
        o.printf(
                "try: cc -O2 %s -I %s %s -fopenmp -lm -o example%s%n",
                out.resolve(LibraryBuild.EXAMPLE),
                out,
                out.resolve(LibraryBuild.STATIC_LIBRARY),
                samples > 0 ? " && ./example " + out.resolve("samples.f32") : "");
    }
}
