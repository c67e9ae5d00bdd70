package dev.qtune.experiments.run;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.ReferenceLogits;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.space.SearchSpace;
import dev.qtune.search.space.SpaceDecoder;
import dev.qtune.search.trial.NativeTrialEvaluator;
import dev.qtune.search.trial.TrialSetup;
import dev.qtune.targets.Target;
import java.nio.file.Path;

/**
 * Everything one JVM needs to run an experiment's trials: the prepared model and data splits
 * (the trial setup), the base quant config, the space and its decoder, and the native evaluator
 * (whose calibration statistics are collected once). The driver builds one; so does each Spark
 * executor JVM, from the same experiment file, once per search.
 */
public record TrialWorkspace(
        ExperimentConfig experiment,
        TrialSetup setup,
        QuantConfig base,
        SearchSpace space,
        SpaceDecoder decoder,
        NativeTrialEvaluator evaluator) {

    /** Loads the model and the data splits, builds the space, and collects (or loads) the calibration statistics. */
    public static TrialWorkspace open(ExperimentConfig exp, Target target) {
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(exp.model()));
        String hash = QuantEvaluation.sha256(exp.model());
        Dataset validation = Datasets.load(exp.dataset(), "validation");
        Path cache = CalibrationCache.defaultDir();
        float[] logits = ReferenceLogits.get(
                cache,
                hash,
                fp32,
                validation,
                exp.validationSamples(),
                Runtime.getRuntime().availableProcessors());
        TrialSetup setup = new TrialSetup(
                exp.model(),
                fp32,
                hash,
                Datasets.load(exp.dataset(), "calibration"),
                validation,
                Datasets.load(exp.dataset(), finalSplit(exp.dataset())),
                target,
                cache,
                exp.seed(),
                1,
                1,
                logits,
                exp.metric());
        QuantConfig base = baseConfig(exp);
        SearchSpace space = space(exp, fp32, target, base);
        return new TrialWorkspace(
                exp,
                setup,
                base,
                space,
                new SpaceDecoder(space, base),
                new NativeTrialEvaluator(setup, base.calibrationSamples()));
    }

    private static SearchSpace space(ExperimentConfig exp, Graph fp32, Target target, QuantConfig base) {
        try {
            return SearchSpace.of(fp32, target.features().int32Lanes(), exp.space(), base);
        } catch (QtuneException e) {
            throw new QtuneException(exp.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The split of the final re-measure: {@code holdout} where the dataset has one (the built-ins:
     * the half of the test set that validation does not use), else {@code test}.
     */
    public static String finalSplit(String dataset) {
        return Datasets.spec(dataset).splits().containsKey("holdout") ? "holdout" : "test";
    }

    /** The experiment's base quant config, with its calibration sample count. */
    private static QuantConfig baseConfig(ExperimentConfig exp) {
        QuantConfig q = exp.baseQconfig().map(QuantConfigReader::read).orElse(QuantConfig.defaultConfig());
        return new QuantConfig(
                q.defaults(),
                q.layers(),
                exp.calibrationSamples(),
                q.globalScale(),
                q.allowFp32Islands(),
                q.boundaryCalibration(),
                q.source());
    }
}
