package dev.qtune.experiments.cli;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.calibration.CalibrationCache;
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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    BuildSource.Options sourceOptions;

    @Option(
            names = "--target",
            paramLabel = "T",
            description = "Target to build for (default: the config's schedule.target, else this host's best native "
                    + "target); see `qtune targets`.")
    String target;

    @Mixin
    BuildSamples samples;

    @Mixin
    WorkerThreads.Calibration threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        int workers = threads.checked(cmd);
        samples.check(cmd);
        QuantConfigFile file = QuantConfigReader.readFile(config);
        BuildSource source = sourceOptions.resolve(cmd, config);
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
        LibraryResult r = LibraryBuild.build(module, t, spec(source, realized), out, samples.files(source, module));
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
                samples.any() ? " && ./example " + out.resolve("samples.f32") : "");
    }
}
