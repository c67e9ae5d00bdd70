package dev.qtune.experiments.cli;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.run.SensitivityPhase;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.sensitivity.SensitivityEntry;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.targets.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune sensitivity EXPERIMENT.yaml [--out DIR] [--master URL]`: the per-layer sensitivity
 * analysis of the experiment's space, printed as a table (most harmful option first) and written
 * as DIR/sensitivity.json.
 */
@Command(
        name = "sensitivity",
        description = "Measure, per layer and per option of the experiment's space, how far the network moves from "
                + "fp32 (KL divergence, agreement, top-1) and what latency and size change, when only that layer "
                + "leaves the base config; prints the table and writes sensitivity.json.")
final class SensitivityCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment file (YAML, see docs/config.md).")
    Path experiment;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where sensitivity.json goes (default: the experiment's output).")
    Path out;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Run the probes on this Spark master (default: the " + "experiment's executor).")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExperimentConfig exp = SearchCommand.read(experiment, out);
        Target target = HostTarget.resolve(spec.commandLine(), exp.target());
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                "qtune: sensitivity %s: %s on %s, target %s -> %s%n",
                exp.name(),
                exp.model(),
                exp.dataset(),
                target.name(),
                exp.output().resolve(SensitivityPhase.FILE));
        err.flush();
        TrialWorkspace ws = TrialWorkspace.open(exp, target);
        long start = System.nanoTime();
        SensitivityTable t;
        try (TrialExecutor executor = SearchCommand.executor(exp, master, err).apply(ws)) {
            t = SensitivityPhase.run(exp, ws, executor, Optional.of(exp.output()), new SearchConsole(err, 0));
        }
        print(spec.commandLine().getOut(), t, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static void print(PrintWriter out, SensitivityTable t, double seconds) {
        out.printf(
                Locale.ROOT,
                "base config: KL %.5f nats, agreement %.2f%%, top-1 %.2f%% on %d validation images, "
                        + "%.4f ms (noise %.4f ms), %.1f KB%n",
                t.baseDivergence(),
                100 * t.baseAgreement(),
                100 * t.baseTop1(),
                t.samples(),
                t.baseLatencyMs(),
                t.noiseMs(),
                t.baseSizeBytes() / 1024.0);
        out.printf(
                "  %-28s %-16s %-12s %11s %9s %9s %11s %10s%n",
                "layer", "kind", "value", "d KL", "d agree", "d top-1", "d ms", "d KB");
        for (SensitivityEntry e : t.byHarm()) {
            if (!e.ok()) {
                out.printf("  %-28s %-16s %-12s FAILED: %s%n", e.layer(), e.kind(), e.value(), e.reason());
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "  %-28s %-16s %-12s %+11.5f %+8.2f%% %+8.2f%% %+11.4f %+10.1f%n",
                    e.layer(),
                    e.kind(),
                    e.value(),
                    e.dDivergence(),
                    100 * e.dAgreement(),
                    100 * e.dTop1(),
                    e.dLatencyMs(),
                    e.dSizeBytes() / 1024.0);
        }
        out.printf(Locale.ROOT, "%d options in %.1f s%n", t.entries().size(), seconds);
        out.flush();
    }
}
