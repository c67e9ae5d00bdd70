package dev.qtune.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.search.space.GeneKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepReaderTest {
    private static final Path FILE = Path.of("s.yaml");
    private static final String BASE = "name: sw\nmodel: ../models/mlp_mnist.onnx\ndataset: {name: mnist}\n"
            + "strategy: {name: nsga2, batch_size: 4}\nbudget: {trials: 5}\n";

    @Test
    void theMatrixIsEveryCombinationNamedByItsValues() {
        SweepReader.Sweep s = SweepReader.parse(
                BASE + "sweep:\n  strategy: [nsga2, random]\n  seed: [1, 2, 3]\n"
                        + "  space.skip: [[false], [false, true]]\n",
                FILE);
        assertEquals(12, s.runs().size());
        assertEquals(List.of("strategy", "seed", "space.skip"), s.keys());
        SweepReader.Run first = s.runs().get(0);
        assertEquals("nsga2-skip-false-s1", first.name());
        assertEquals("nsga2-skip-false", first.group());
        assertEquals("random-skip-false_true-s3", s.runs().get(11).name());
        ExperimentConfig e = ExperimentReader.parse(s.runs().get(11).yaml(), FILE);
        assertEquals("random", e.strategy().name());
        assertEquals(3, e.seed());
        assertEquals(List.of("false", "true"), e.space().allowed(GeneKind.SKIP));
        assertEquals("sw/random-skip-false_true-s3", e.name());
        assertEquals(Path.of("runs", "sw", "random-skip-false_true-s3"), e.output());
        assertEquals(
                4, ExperimentReader.parse(first.yaml(), FILE).strategy().batchSize(), "the rest of the file stays");
    }

    @Test
    void theShippedEfficiencySweepReads() {
        System.setProperty(
                "qtune.root", Path.of("..").toAbsolutePath().normalize().toString());
        SweepReader.Sweep s = SweepReader.read(Path.of("configs", "efficiency-sweep.yaml"));
        assertEquals(
                List.of(
                        "nsga2-s1",
                        "nsga2-s2",
                        "nsga2-s3",
                        "bayesian-s1",
                        "bayesian-s2",
                        "bayesian-s3",
                        "random-s1",
                        "random-s2",
                        "random-s3"),
                s.runs().stream().map(SweepReader.Run::name).toList());
        assertEquals(Path.of("runs", "efficiency-sweep"), s.output());
    }

    @Test
    void aSingleSearchRefusesASweepFileAndBadSweepsNameTheKey() {
        String m = assertThrows(
                        QuantConfigException.class, () -> ExperimentReader.parse(BASE + "sweep: {seed: [1]}\n", FILE))
                .getMessage();
        assertTrue(m.startsWith("s.yaml: sweep: this file declares a sweep: run it with `qtune sweep`"), m);
        assertError(
                BASE + "sweep: {budget.trials: [1, 2]}\n",
                "s.yaml: sweep.budget.trials: unknown sweep key; allowed: "
                        + "strategy, seed, target, strategy.KEY, space.");
        assertError(BASE + "sweep: {seed: 3}\n", "s.yaml: sweep.seed: a list of values");
        assertError(BASE + "sweep: {seed: []}\n", "s.yaml: sweep.seed: must list at least one value");
        assertError(BASE + "sweep: {strategy: [nsga2, ga]}\n", "s.yaml (sweep run ga): strategy.name: must be one of");
        assertError(BASE, "s.yaml: sweep: a mapping from keys");
    }

    private static void assertError(String yaml, String start) {
        String m = assertThrows(QuantConfigException.class, () -> SweepReader.parse(yaml, FILE))
                .getMessage();
        assertTrue(m.startsWith(start), "expected '" + start + "...' but got: " + m);
    }
}
