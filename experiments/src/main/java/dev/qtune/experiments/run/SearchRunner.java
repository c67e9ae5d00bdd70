package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.metric.MetricException;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.evaluator.metric.Metrics;
import dev.qtune.evaluator.quant.ReferenceLogits;
import dev.qtune.evaluator.quant.ReferencePredictions;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.loop.SearchLoop;
import dev.qtune.search.loop.SearchOutcome;
import dev.qtune.search.loop.SearchSettings;
import dev.qtune.search.sensitivity.SensitivityTable;
import dev.qtune.search.space.Genome;
import dev.qtune.search.strategy.Searcher;
import dev.qtune.search.strategy.Strategies;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSetup;
import dev.qtune.targets.CacheDir;
import dev.qtune.targets.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One search from an experiment file to a finished run directory: load the model and data, build
 * the space, measure the fp32 reference on the validation samples (for the accuracy constraint),
 * evaluate the experiment's baselines (on the driver), run the search loop (resuming from the log
 * when asked), re-measure the front. The executor is supplied, so the same run works on threads or
 * on Spark.
 */
public final class SearchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SearchRunner.class);
    private final ExperimentConfig exp;
    private final Target target;

    public SearchRunner(ExperimentConfig exp, Target target) {
        this.exp = exp;
        this.target = target;
    }

    /**
     * What a run produced: the run directory, the search's outcome, the final re-measures of this
     * process, the fp32 model's accuracy metric on the validation samples (NaN where it could not
     * be measured), and the baselines' entries of pareto.json (docs/formats.md; those of an earlier
     * run of a resumed search included).
     */
    public record Result(
            Path dir,
            SearchOutcome outcome,
            List<TrialResult> finals,
            double fp32Accuracy,
            List<ObjectNode> baselines) {}

    /**
     * Runs the search. {@code executorFactory} builds the executor from the driver's workspace
     * (local threads or Spark); {@code console} hears progress.
     */
    /**
     * The fp32 model's value of the metric on the validation samples, from its reference logits: 1
     * for agreement; a command is run once on them, and if it fails the value is NaN (a warning
     * says why; the search goes on, and each trial records the command's failure).
     */
    private double fp32Accuracy(MetricSpec metric, Dataset validation, int samples, TrialSetup setup, double top1) {
        switch (metric.kind()) {
            case TOP1:
                return top1;
            case AGREEMENT:
                return 1.0;
            default:
                break;
        }
        float[] logits = setup.validationLogits();
        try {
            // the reference logits are those of exactly the validation samples every trial is scored on
            return Metrics.score(
                    metric,
                    validation,
                    samples,
                    logits,
                    Metrics.sampleShape(setup.fp32(), logits.length / samples),
                    logits);
        } catch (MetricException e) {
            LOG.warn("{}: the fp32 model's {} could not be measured: {}", exp.file(), metric.label(), e.getMessage());
            return Double.NaN;
        }
    }

    public Result run(boolean resume, Function<TrialWorkspace, TrialExecutor> executorFactory, SearchListener console) {
        CacheDir.requireWritable(CalibrationCache.defaultDir());
        TrialWorkspace ws = TrialWorkspace.open(exp, target);
        TrialSetup setup = ws.setup();
        Dataset validation = setup.validation();
        int samples = Math.min(exp.validationSamples(), validation.count());
        MetricSpec metric = exp.metric();
        checkValidation(validation, metric);
        double fp32Top1 = fp32Top1(setup, validation, samples);
        double fp32 = fp32Accuracy(metric, validation, samples, setup, fp32Top1);
        OptionalDouble minAccuracy = exp.constraint()
                .map(c -> OptionalDouble.of(c.minAccuracy(fp32, metric.fraction())))
                .orElse(OptionalDouble.empty());
        SearchSettings settings = settings(samples, fp32, minAccuracy);
        List<Genome> seeds = SearchSeeds.of(exp, ws.space(), ws.base());
        List<ObjectNode> logged = new ArrayList<>();
        try (RunDirectory dir = RunDirectory.open(exp.output(), exp.file(), resume, logged)) {
            List<TrialResult> previous = previousSearchTrials(logged, ws, dir);
            RunContext context = context(ws, fp32, fp32Top1, minAccuracy);
            try (TrialExecutor executor = executorFactory.apply(ws)) {
                RunFiles files = new RunFiles(dir, context);
                BaselineMeasure.run(exp, ws.evaluator(), samples, logged, files);
                Optional<SensitivityTable> sensitivity = exp.strategy().needsSensitivity()
                        ? Optional.of(SensitivityPhase.run(exp, ws, executor, Optional.of(dir.dir()), console))
                        : Optional.empty();
                Searcher searcher = Strategies.create(
                        exp.strategy(), ws.space().genes(), exp.objectives().size(), seeds, sensitivity);
                SearchOutcome outcome = new SearchLoop(
                                ws.decoder(), searcher, executor, settings, SearchListeners.both(files, console))
                        .run(previous);
                List<TrialResult> finals = FinalMeasure.run(
                        exp, outcome, ws.space().firstValues(), executor, ws.evaluator(), logged, files);
                return new Result(dir.dir(), outcome, finals, fp32, files.baselineEntries());
            }
        }
    }

    /** Warns of a validation split the model was trained on; a metric that needs labels needs them there. */
    private void checkValidation(Dataset validation, MetricSpec metric) {
        if (validation.seenInTraining()) {
            LOG.warn(
                    "{}: the validation split of {} holds images the model was trained on (seen_in_training): "
                            + "accuracy there is optimistic and the front is chosen on it",
                    exp.file(),
                    exp.dataset());
        }
        if (metric.needsLabels() && !validation.labeled()) {
            throw new QtuneException(
                    exp.file() + ": metric " + metric.label() + " needs labels, but the validation split of "
                            + exp.dataset() + " has none; give it labels, or use metric: agreement or a command");
        }
    }

    /** The fp32 model's top-1 on the validation samples (NaN without labels). */
    private static double fp32Top1(TrialSetup setup, Dataset validation, int samples) {
        if (!validation.labeled()) {
            return Double.NaN;
        }
        return setup.validationLogits().length > 0
                ? ReferenceLogits.accuracy(setup.validationLogits(), validation, samples)
                        .top1()
                : ReferencePredictions.get(
                                setup.cacheDir(),
                                setup.modelHash(),
                                setup.fp32(),
                                validation,
                                samples,
                                Runtime.getRuntime().availableProcessors())
                        .top1();
    }

    /** The search's settings; a constraint or exit rule needs the fp32 model's metric. */
    private SearchSettings settings(int samples, double fp32, OptionalDouble minAccuracy) {
        MetricSpec metric = exp.metric();
        boolean needsFp32 = exp.constraint().isPresent() || exp.budget().exit().isPresent();
        if (needsFp32 && Double.isNaN(fp32)) {
            throw new QtuneException(exp.file() + ": the constraint and exit rule need the fp32 model's "
                    + metric.label() + ", which could not be measured (see the warning above)");
        }
        return new SearchSettings(
                exp.objectives(),
                minAccuracy,
                exp.budget().trials(),
                exp.budget().generations(),
                exp.budget().wallClockSeconds(),
                samples,
                exp.measure().benchSeconds(),
                exp.onFailure(),
                exp.budget().patience(),
                exp.budget()
                        .exit()
                        .map(e -> OptionalDouble.of(e.maxDrop().minAccuracy(fp32, metric.fraction())))
                        .orElse(OptionalDouble.empty()),
                exp.budget().exit().map(ExperimentConfig.Exit::latencyRatio).orElse(1.0),
                metric.fraction());
    }

    /** The search trials of the run directory's log (an earlier, interrupted run). */
    private static List<TrialResult> previousSearchTrials(
            List<ObjectNode> logged, TrialWorkspace ws, RunDirectory dir) {
        List<TrialResult> previous = new ArrayList<>();
        for (int i = 0; i < logged.size(); i++) {
            if (TrialKind.parse(logged.get(i).path("kind").asText()) == TrialKind.SEARCH) {
                previous.add(TrialRecords.fromJson(
                        logged.get(i), ws.decoder(), dir.dir().resolve(RunDirectory.TRIALS) + ": line " + (i + 1)));
            }
        }
        return previous;
    }

    /** What the run files record of the run: the fp32 figures (on the test split too) and the constraint. */
    private RunContext context(TrialWorkspace ws, double fp32, double fp32Top1, OptionalDouble minAccuracy) {
        TrialSetup setup = ws.setup();
        double fp32Final = exp.measure().finalMax() == 0 || !setup.test().labeled()
                ? Double.NaN
                : ReferencePredictions.get(
                                setup.cacheDir(),
                                setup.modelHash(),
                                setup.fp32(),
                                setup.test(),
                                exp.measure().finalSamples(),
                                Runtime.getRuntime().availableProcessors())
                        .top1();
        return new RunContext(
                exp,
                target,
                ws.space(),
                fp32,
                fp32Top1,
                minAccuracy,
                fp32Final,
                TrialWorkspace.finalSplit(exp.dataset()));
    }
}
