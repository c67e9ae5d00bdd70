package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.ReferencePredictions;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.exec.LocalTrialExecutor;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.loop.SearchListener;
import dev.qtune.search.loop.SearchLoop;
import dev.qtune.search.loop.SearchOutcome;
import dev.qtune.search.loop.SearchSettings;
import dev.qtune.search.space.SearchSpace;
import dev.qtune.search.space.SpaceDecoder;
import dev.qtune.search.strategy.Searcher;
import dev.qtune.search.strategy.Strategies;
import dev.qtune.search.trial.NativeTrialEvaluator;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSetup;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModuleEmitter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * One search from an experiment file to a finished run directory: load the model and data, build
 * the space, measure the fp32 reference on the validation samples (for the accuracy constraint),
 * run the search loop (resuming from the log when asked), re-measure the front, write the report.
 * The executor is supplied, so the same run works on threads or on Spark.
 */
public final class SearchRunner {
    private final ExperimentConfig exp;
    private final Target target;

    public SearchRunner(ExperimentConfig exp, Target target) {
        this.exp = exp;
        this.target = target;
    }

    /** What a run produced. */
    public record Result(Path dir, SearchOutcome outcome, List<TrialResult> finals, double fp32Top1) {
    }

    /**
     * Runs the search. {@code executorFactory} builds the executor from the trial evaluator (local
     * threads by default); {@code console} hears progress.
     */
    public Result run(boolean resume, Function<NativeTrialEvaluator, TrialExecutor> executorFactory,
                      SearchListener console) {
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(exp.model()));
        Path cache = CalibrationCache.defaultDir();
        Dataset validation = Datasets.load(exp.dataset(), "validation");
        TrialSetup setup = new TrialSetup(exp.model(), fp32, QuantEvaluation.sha256(exp.model()),
                Datasets.load(exp.dataset(), "calibration"), validation, Datasets.load(exp.dataset(), "test"), target,
                cache, exp.seed(), 1, 1);
        QuantConfig base = baseConfig();
        SearchSpace space = SearchSpace.of(fp32, CModuleEmitter.int32Lanes(target.vectorBytes()), exp.space());
        SpaceDecoder decoder = new SpaceDecoder(space, base);
        int samples = Math.min(exp.validationSamples(), validation.count());
        AccuracyResult fp32Ref = ReferencePredictions.get(cache, setup.modelHash(), fp32, validation, samples,
                Runtime.getRuntime().availableProcessors());
        OptionalDouble minTop1 = exp.constraint().map(c -> OptionalDouble.of(c.minTop1(fp32Ref.top1())))
                .orElse(OptionalDouble.empty());
        SearchSettings settings = new SearchSettings(exp.objectives(), minTop1, exp.budget().trials(),
                exp.budget().generations(), exp.budget().wallClockSeconds(), samples, exp.measure().benchSeconds(),
                exp.onFailure());
        List<ObjectNode> logged = new ArrayList<>();
        try (RunDirectory dir = RunDirectory.open(exp.output(), exp.file(), resume, logged)) {
            List<TrialResult> previous = new ArrayList<>();
            for (int i = 0; i < logged.size(); i++) {
                if (TrialKind.parse(logged.get(i).path("kind").asText()) == TrialKind.SEARCH) {
                    previous.add(TrialRecords.fromJson(logged.get(i), decoder, dir.dir().resolve(RunDirectory.TRIALS)
                            + ": line " + (i + 1)));
                }
            }
            RunContext context = new RunContext(exp, target, space, fp32Ref.top1(), minTop1);
            NativeTrialEvaluator evaluator = new NativeTrialEvaluator(setup, base.calibrationSamples());
            Searcher searcher = Strategies.create(exp.strategy(), space.genes(), exp.objectives().size());
            try (TrialExecutor executor = executorFactory.apply(evaluator)) {
                RunFiles files = new RunFiles(dir, context);
                SearchOutcome outcome = new SearchLoop(decoder, searcher, executor, settings,
                        SearchListeners.both(files, console)).run(previous);
                List<TrialResult> finals = FinalMeasure.run(exp, outcome, executor, logged, files);
                return new Result(dir.dir(), outcome, finals, fp32Ref.top1());
            }
        }
    }

    /** The executor of an experiment file: local threads. */
    public Function<NativeTrialEvaluator, TrialExecutor> localExecutor() {
        return e -> new LocalTrialExecutor(e, exp.workers());
    }

    private QuantConfig baseConfig() {
        QuantConfig q = exp.baseQconfig().map(QuantConfigReader::read).orElse(QuantConfig.defaultConfig());
        return new QuantConfig(q.defaults(), q.layers(), exp.calibrationSamples(), q.globalScale(),
                q.allowFp32Islands(), q.boundaryCalibration(), q.source());
    }
}
