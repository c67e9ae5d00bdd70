package dev.qtune.experiments.cli;

import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.search.loop.GenerationSummary;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The search's console: on a terminal, a progress bar per generation (trials done, failed, best
 * feasible top-1, hypervolume, ETA); otherwise one line per generation, so logs stay readable.
 */
final class SearchConsole implements SearchListener {
    private final PrintWriter err;
    private final int budget;
    private final String prefix;
    private final boolean bars;
    private ProgressBar bar;
    private int failed;
    private String last = "";
    private MetricSpec metric = MetricSpec.TOP1;

    SearchConsole(PrintWriter err, int budget) {
        this(err, budget, "");
    }

    /** A console whose "best" is a value of {@code metric}. */
    SearchConsole(PrintWriter err, int budget, MetricSpec metric) {
        this(err, budget, "");
        this.metric = metric;
    }

    /** A console whose lines start with {@code prefix} (searches of a sweep share stderr: no bars then). */
    SearchConsole(PrintWriter err, int budget, String prefix) {
        this.err = err;
        this.budget = budget;
        this.prefix = prefix;
        this.bars = prefix.isEmpty() && Boolean.getBoolean("qtune.progress");
    }

    @Override
    public synchronized void generationStarted(int generation, List<TrialSpec> trials) {
        failed = 0;
        if (bars) {
            bar = new ProgressBarBuilder()
                    .setTaskName("gen " + generation)
                    .setInitialMax(trials.size())
                    .setUnit(" trials", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(500)
                    .build();
            bar.setExtraMessage(last);
        }
    }

    @Override
    public synchronized void trialFinished(TrialResult r) {
        failed += r.ok() ? 0 : 1;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage((failed > 0 ? failed + " failed " : "") + last);
        }
    }

    @Override
    public synchronized void sensitivityProgress(int done, int total) {
        if (done % 10 == 0 || done == total) {
            err.printf(Locale.ROOT, "qtune: %ssensitivity analysis: %d/%d probes%n", prefix, done, total);
            err.flush();
        }
    }

    @Override
    public synchronized void generationFinished(GenerationSummary s) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        last = String.format(
                Locale.ROOT,
                "best %s, HV %.4g",
                s.bestTop1().isPresent() ? metric.format(s.bestTop1().getAsDouble()) : "-",
                s.hypervolume());
        double perTrial = s.trials() == 0 ? 0 : s.elapsedSeconds() / s.trials();
        err.printf(
                Locale.ROOT,
                "qtune: %sgeneration %d: %d/%d trials, %d failed, front %d, %s, %.0f s elapsed, ETA %.0f s%n",
                prefix,
                s.generation(),
                s.trials(),
                budget,
                s.failures(),
                s.front().size(),
                last,
                s.elapsedSeconds(),
                perTrial * Math.max(0, budget - s.trials()));
        err.flush();
    }
}
