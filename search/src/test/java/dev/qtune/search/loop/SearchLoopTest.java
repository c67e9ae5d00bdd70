package dev.qtune.search.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.search.exec.LocalTrialExecutor;
import dev.qtune.search.space.LayerChoice;
import dev.qtune.search.space.SearchSpace;
import dev.qtune.search.space.SpaceDecoder;
import dev.qtune.search.space.SpaceSpec;
import dev.qtune.search.strategy.Strategies;
import dev.qtune.search.strategy.StrategySpec;
import dev.qtune.search.trial.Provenance;
import dev.qtune.search.trial.StageTimes;
import dev.qtune.search.trial.TrialEvaluator;
import dev.qtune.search.trial.TrialMetrics;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop with a deterministic fake evaluator (unit tests only): budget, memo, failures recorded
 * and told, and resume by replay (an interrupted run continued from its results runs exactly the
 * trials the uninterrupted run would have).
 */
class SearchLoopTest {
    private static final Graph RESNET =
            PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", "resnet8_fashion.onnx")));
    private static final SpaceDecoder DECODER =
            new SpaceDecoder(SearchSpace.of(RESNET, 8, SpaceSpec.defaults()), QuantConfig.defaultConfig());

    /** Accuracy falls with fewer bits, latency with them; layers in fp32 are accurate and slow; 4-bit weights with per_tensor "crash". */
    static final TrialEvaluator FAKE = spec -> {
        double top1 = 0.92;
        double latency = 0.2;
        boolean crash = false;
        for (LayerChoice c : spec.decoded().layers()) {
            if (c.skip()) {
                latency += 0.5;
                continue;
            }
            top1 -= 0.004 * (8 - c.weightBits()) + (c.activationBits() < 8 ? 0.01 : 0);
            latency += 0.05 * c.weightBits()
                    + (c.activationBits() == 16 ? 0.2 : 0)
                    + 0.01 * c.knobs().getOrDefault("ow_tile", 1);
            crash |= c.weightBits() == 4
                    && c.granularity().name().equals("PER_TENSOR")
                    && c.calibration().name().equals("MSE");
        }
        Provenance p = new Provenance("m", "d", "fake", "none", "host", 0, 1);
        if (crash) {
            return new TrialResult(
                    spec,
                    TrialStatus.FAILED,
                    "compile: injected",
                    Optional.empty(),
                    StageTimes.NONE,
                    p,
                    spec.decoded().schedule(),
                    Instant.EPOCH);
        }
        return new TrialResult(
                spec,
                TrialStatus.OK,
                "",
                Optional.of(new TrialMetrics(Math.max(0, top1), 100, latency, latency, latency, 1000)),
                StageTimes.NONE,
                p,
                spec.decoded().schedule(),
                Instant.EPOCH);
    };

    private static SearchSettings settings(int trials) {
        return new SearchSettings(
                List.of(Objective.ACCURACY, Objective.LATENCY),
                OptionalDouble.of(0.80),
                trials,
                0,
                0,
                100,
                0.1,
                FailureRule.PENALIZE,
                0,
                OptionalDouble.empty(),
                1,
                true);
    }

    private static SearchOutcome run(String strategy, int trials, List<TrialResult> previous) {
        try (LocalTrialExecutor executor = new LocalTrialExecutor(FAKE, 2)) {
            return new SearchLoop(
                            DECODER,
                            Strategies.create(
                                    StrategySpec.defaults(strategy, 11),
                                    DECODER.space().genes(),
                                    2),
                            executor,
                            settings(trials),
                            new SearchListener() {})
                    .run(previous);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nsga2", "bayesian", "random"})
    void spendsExactlyTheBudgetOnDistinctConfigs(String strategy) {
        SearchOutcome o = run(strategy, 30, List.of());
        assertEquals(30, o.trials().size());
        Set<String> hashes = new HashSet<>();
        o.trials().forEach(r -> assertTrue(hashes.add(r.spec().decoded().configHash())));
        assertFalse(o.last().front().isEmpty());
        assertTrue(o.last().hypervolume() > 0);
        o.last()
                .front()
                .forEach(r -> assertTrue(r.metrics().orElseThrow().top1() >= 0.80, "front members are feasible"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nsga2", "bayesian", "random"})
    void aResumedRunRunsWhatTheUninterruptedOneRan(String strategy) {
        SearchOutcome full = run(strategy, 30, List.of());
        List<TrialResult> firstPart = full.trials().subList(0, 13);
        SearchOutcome resumed = run(strategy, 30, firstPart);
        assertEquals(30, resumed.trials().size());
        assertEquals(hashes(full.trials()), hashes(resumed.trials()));
        assertEquals(full.last().hypervolume(), resumed.last().hypervolume(), 1e-12);
        for (TrialResult r : firstPart) {
            assertTrue(
                    resumed.trials().contains(r),
                    "logged trials are replayed, not rerun: " + r.spec().id());
        }
    }

    private static Set<String> hashes(List<TrialResult> results) {
        Set<String> s = new HashSet<>();
        results.forEach(r -> s.add(r.spec().decoded().configHash()));
        return s;
    }

    /** budget.patience and the accuracy-driven exit end a search early, saying why. */
    @Test
    void patienceAndTheExitRuleStopEarly() {
        try (LocalTrialExecutor executor = new LocalTrialExecutor(FAKE, 2)) {
            SearchSettings patient = new SearchSettings(
                    List.of(Objective.ACCURACY, Objective.LATENCY),
                    OptionalDouble.of(0.80),
                    400,
                    0,
                    0,
                    100,
                    0.1,
                    FailureRule.PENALIZE,
                    2,
                    OptionalDouble.empty(),
                    1,
                    true);
            SearchOutcome o = new SearchLoop(
                            DECODER,
                            Strategies.create(
                                    StrategySpec.defaults("random", 5),
                                    DECODER.space().genes(),
                                    2),
                            executor,
                            patient,
                            new SearchListener() {})
                    .run(List.of());
            assertTrue(o.trials().size() < 400 && o.stopReason().contains("patience"), o.stopReason());

            // the base config (all int8 defaults) scores 0.92 in the fake: an exit at 0.9 stops after generation 0
            SearchSettings exit = new SearchSettings(
                    List.of(Objective.ACCURACY, Objective.LATENCY),
                    OptionalDouble.of(0.80),
                    400,
                    0,
                    0,
                    100,
                    0.1,
                    FailureRule.PENALIZE,
                    0,
                    OptionalDouble.of(0.9),
                    1.0,
                    true);
            SearchOutcome e = new SearchLoop(
                            DECODER,
                            Strategies.create(
                                    StrategySpec.defaults("nsga2", 5),
                                    DECODER.space().genes(),
                                    2,
                                    List.of(DECODER.space().firstValues()),
                                    Optional.empty()),
                            executor,
                            exit,
                            new SearchListener() {})
                    .run(List.of());
            assertEquals(8, e.trials().size(), "one generation");
            assertTrue(e.stopReason().contains("exit rule"), e.stopReason());
        }
    }
}
