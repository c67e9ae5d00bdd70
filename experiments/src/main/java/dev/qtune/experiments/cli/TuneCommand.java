package dev.qtune.experiments.cli;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.TuningLog;
import dev.qtune.targets.runner.ScheduleTuner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune tune EXPERIMENT.yaml [--seconds S] [--rounds R]`: tunes the kernel schedule of every layer
 * task of the experiment's base config on its target (native builds, per-layer timing) and appends
 * the winners to this host's tuning log, which every later trial, search, eval and build of any
 * model with the same layer tasks then uses (docs/codegen.md, "Tuned schedules").
 */
@Command(
        name = "tune",
        description = "Tune the kernel schedules of the experiment's base config, layer task by layer task, on this "
                + "host; the winners go to the tuning log that later trials and searches use.")
final class TuneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment file (YAML, see docs/config.md).")
    Path experiment;

    @Option(
            names = "--seconds",
            defaultValue = "0.3",
            paramLabel = "S",
            description = "Timing per schedule and round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            paramLabel = "R",
            description = "Rounds over the schedules; a layer keeps its fastest time (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(seconds > 0) || rounds < 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--seconds must be > 0 and --rounds >= 1, but were " + seconds + " and " + rounds);
        }
        ExperimentConfig exp = ExperimentReader.read(experiment);
        Target target = HostTarget.resolve(spec.commandLine(), exp.target());
        PrintWriter err = spec.commandLine().getErr();
        TrialWorkspace ws = TrialWorkspace.open(exp, target);
        TuningLog log = TuningLog.load(ws.setup().cacheDir(), target);
        err.printf(
                "qtune: tune %s: %s, target %s, %d thread(s) -> %s%n",
                exp.name(),
                exp.model(),
                target.name(),
                ws.setup().benchThreads(),
                TuningLog.file(ws.setup().cacheDir(), target));
        err.flush();
        ScheduleTuner.Result r = ScheduleTuner.tune(
                ws.evaluator().realized(ws.base()),
                target,
                ws.setup().cacheDir(),
                log,
                ws.setup().benchThreads(),
                seconds,
                rounds,
                line -> {
                    err.print("\r" + line);
                    err.flush();
                });
        err.println();
        print(spec.commandLine().getOut(), r);
        return 0;
    }

    private static void print(PrintWriter out, ScheduleTuner.Result r) {
        if (r.entries().isEmpty()) {
            out.println("every layer task of the base config is already in the tuning log");
            out.flush();
            return;
        }
        out.printf("  %-70s %-28s %10s %10s %7s%n", "task", "best schedule", "best ms", "default ms", "gain");
        double best = 0;
        double dflt = 0;
        for (TuningLog.Entry e : r.entries()) {
            out.printf(
                    Locale.ROOT,
                    "  %-70s %-28s %10.4f %10.4f %6.2fx%n",
                    e.task(),
                    e.knobs(),
                    e.bestMs(),
                    e.defaultMs(),
                    e.defaultMs() / e.bestMs());
            best += e.bestMs();
            dflt += Double.isNaN(e.defaultMs()) ? e.bestMs() : e.defaultMs();
        }
        out.printf(
                Locale.ROOT,
                "%d tasks tuned in %d timed builds, %.1f s; their layers: %.4f ms tuned, %.4f ms default"
                        + " (%.2fx)%n",
                r.entries().size(),
                r.builds(),
                r.seconds(),
                best,
                dflt,
                dflt / best);
        out.flush();
    }
}
