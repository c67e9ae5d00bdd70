package dev.qtune.experiments.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.evaluator.metric.MetricSpec;
import dev.qtune.search.loop.FailureRule;
import dev.qtune.search.loop.Objective;
import dev.qtune.search.space.GeneKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExperimentReaderTest {
    private static final Path FILE = Path.of("x.yaml");
    private static final String MINIMAL =
            "name: t\nmodel: ../models/mlp_mnist.onnx\ndataset: {name: mnist}\n" + "budget: {trials: 5}\n";

    @Test
    void theQuickstartExperimentReads() {
        System.setProperty(
                "qtune.root", Path.of("..").toAbsolutePath().normalize().toString());
        ExperimentConfig e = ExperimentReader.read(Path.of("configs", "quickstart.yaml"));
        assertEquals("quickstart", e.name());
        assertEquals("nsga2", e.strategy().name());
        assertEquals(40, e.budget().trials());
        assertEquals(List.of(Objective.ACCURACY, Objective.LATENCY), e.objectives());
        assertEquals(List.of("8", "7", "6", "4"), e.space().allowed(GeneKind.WEIGHT_BITS));
        assertEquals(0.942 - 0.01, e.constraint().orElseThrow().minTop1(0.942), 1e-12);
        assertEquals("local[2]", e.executor().sparkMaster(), "the main command runs on embedded Spark");
        assertTrue(e.executor().spark());
        assertEquals(
                List.of("uniform int8 (KL, per-channel)"),
                e.baselines().stream().map(ExperimentConfig.Baseline::label).toList());
    }

    @Test
    void defaultsFillWhatAMinimalFileLeavesOut() {
        ExperimentConfig e = ExperimentReader.parse(MINIMAL, FILE);
        assertEquals("auto", e.target());
        assertEquals(FailureRule.PENALIZE, e.onFailure());
        assertEquals(1000, e.validationSamples());
        assertTrue(e.constraint().isEmpty());
        assertEquals(Path.of("runs", "t"), e.output());
        assertEquals(0.99 * 0.9, new AccuracyConstraint(true, 0.01).minTop1(0.9), 1e-12);
        assertTrue(e.executor().spark(), "trials run on Spark by default");
        assertEquals("local[*]", e.executor().sparkMaster());
    }

    @Test
    void searchValueKeysReadWithTheirDefaults() {
        ExperimentConfig d = ExperimentReader.parse(MINIMAL, FILE);
        assertFalse(d.space().schedule(), "default schedules unless the file asks to search them");
        assertTrue(d.strategy().needsSensitivity(), "nsga2 starts from the sensitivity model by default");
        assertEquals(0, d.budget().patience());
        assertTrue(d.budget().exit().isEmpty());
        assertTrue(d.seeds().isEmpty());
        ExperimentConfig e = ExperimentReader.parse(
                MINIMAL.replace(
                                "budget: {trials: 5}",
                                "budget: {trials: 5, patience: 3, "
                                        + "exit: {max_drop: {absolute: 0.1}, latency_ratio: 1.05}}")
                        + "strategy: {name: random}\n"
                        + "seeds: [../experiments/qconfigs/int8_max.yaml]\n",
                FILE);
        assertEquals(3, e.budget().patience());
        assertEquals(1.05, e.budget().exit().orElseThrow().latencyRatio());
        assertEquals(0.9 - 0.001, e.budget().exit().orElseThrow().maxDrop().minTop1(0.9), 1e-12);
        assertFalse(e.strategy().needsSensitivity(), "random stays unseeded by the model unless asked");
        assertEquals(1, e.seeds().size());
        assertEquals(
                "sensitivity",
                ExperimentReader.parse(MINIMAL + "strategy: {name: sensitivity}\n", FILE)
                        .strategy()
                        .name());
        assertError(MINIMAL + "seeds: [nope.yaml]\n", "x.yaml: seeds[0]: must name an existing file");
    }

    @Test
    void theExecutorPicksSparkMastersOrThreads() {
        assertEquals(
                "local[2]",
                ExperimentReader.parse(MINIMAL + "executor: {workers: 2}\n", FILE)
                        .executor()
                        .sparkMaster());
        ExperimentConfig.Executor cluster = ExperimentReader.parse(
                        MINIMAL + "executor: {workers: 2, master: 'spark://10.0.0.1:7077'}\n", FILE)
                .executor();
        assertEquals("spark://10.0.0.1:7077", cluster.sparkMaster());
        ExperimentConfig.Executor local = ExperimentReader.parse(
                        MINIMAL + "executor: {type: local, workers: 3}\n", FILE)
                .executor();
        assertFalse(local.spark());
        assertEquals(3, local.threads());
        assertEquals(
                1,
                ExperimentReader.parse(MINIMAL + "executor: {type: local}\n", FILE)
                        .executor()
                        .threads());
    }

    @Test
    void fixedLayersHoldKindsAndKnobs() {
        ExperimentConfig e =
                ExperimentReader.parse(MINIMAL + "space: {fixed: [{match: '/fc*', skip: true, dot: 16}]}\n", FILE);
        assertEquals(Optional.of("true"), e.space().fixedValue("/fc1/Gemm", "skip"));
        assertEquals(Optional.of("16"), e.space().fixedValue("/fc1/Gemm", "dot"));
        assertTrue(e.space().fixedValue("/conv/Conv", "skip").isEmpty());
    }

    @Test
    void errorsNameTheFileTheKeyPathAndTheAllowedValues() {
        assertError(
                MINIMAL + "strategy: {name: ga}\n", "x.yaml: strategy.name: must be one of bayesian, nsga2, random");
        assertError(MINIMAL + "budgett: 3\n", "x.yaml: budgett: unknown key; allowed keys: name, model");
        assertError(
                MINIMAL + "space: {weight_bits: [8, 9]}\n",
                "x.yaml: space.weight_bits[1]: must be one of 8, 7, 6, 5, 4, 3, 2");
        assertError(
                MINIMAL + "space: {calibration: [entropy]}\n", "x.yaml: space.calibration[0]: must be one of kl, max");
        assertError(
                MINIMAL + "constraints: {max_drop: {absolute: 1, relative: 0.1}}\n",
                "x.yaml: constraints.max_drop: must have exactly one of absolute");
        assertError(MINIMAL + "objectives: [latency, accuracy]\n", "x.yaml: objectives: must be [accuracy, latency]");
        assertError(MINIMAL + "on_failure: ignore\n", "x.yaml: on_failure: must be one of penalize, abort");
        assertError(MINIMAL.replace("budget: {trials: 5}\n", ""), "x.yaml: budget: a mapping with trials");
        assertError(MINIMAL.replace("mlp_mnist", "nope"), "x.yaml: model: must name an existing file");
        assertError(
                MINIMAL + "space: {fixed: [{match: '*', oc_block: wide}]}\n",
                "x.yaml: space.fixed[0].oc_block: must be an integer in 1..1024, but was 'wide'");
        assertError(
                MINIMAL + "space: {fixed: [{match: '*', skip: maybe}]}\n",
                "x.yaml: space.fixed[0].skip: must be one of false, true");
        assertError(MINIMAL + "space: {fixed: [{match: '*', tile: 4}]}\n", "x.yaml: space.fixed[0].tile: unknown key");
        assertError(
                MINIMAL + "executor: {type: cluster}\n",
                "x.yaml: executor.type: must be spark or local, but was 'cluster'");
        assertError(
                MINIMAL + "executor: {master: 'spark:/host'}\n",
                "x.yaml: executor.master: must be a Spark master: local, local[N], local[*], spark://HOST:PORT");
        assertError(
                MINIMAL + "executor: {type: local, master: 'local[2]'}\n",
                "x.yaml: executor.master: is for executor type spark");
    }

    @Test
    void metricsReadAsTop1TopKAgreementOrACommand() {
        assertEquals(MetricSpec.TOP1, ExperimentReader.parse(MINIMAL, FILE).metric());
        assertEquals(
                MetricSpec.AGREEMENT,
                ExperimentReader.parse(MINIMAL + "metric: agreement\n", FILE).metric());
        MetricSpec top5 =
                ExperimentReader.parse(MINIMAL + "metric: {top_k: 5}\n", FILE).metric();
        assertEquals(MetricSpec.Kind.TOP_K, top5.kind());
        assertEquals(5, top5.k());
        ExperimentConfig e = ExperimentReader.parse(
                MINIMAL + "metric: {command: [python3, m.py, --fast], timeout_s: 30, "
                        + "name: mIoU}\nconstraints: {max_drop: {absolute: 250}}\n",
                Path.of("/exp/x.yaml"));
        MetricSpec m = e.metric();
        assertEquals(MetricSpec.Kind.COMMAND, m.kind());
        assertEquals(List.of("python3", "m.py", "--fast"), m.command());
        assertEquals(30.0, m.timeoutSeconds());
        assertEquals("mIoU", m.label());
        assertEquals(Optional.of(Path.of("/exp")), m.workDir(), "the command runs in the experiment's folder");
        assertFalse(m.fraction());
        assertEquals(
                0.75 - 250,
                e.constraint().orElseThrow().minAccuracy(0.75, false),
                1e-12,
                "absolute in the command's units");
        assertEquals(
                MetricSpec.DEFAULT_TIMEOUT_S,
                ExperimentReader.parse(MINIMAL + "metric: {command: [x]}\n", FILE)
                        .metric()
                        .timeoutSeconds());
    }

    @Test
    void metricErrorsNameTheKeyAndTheAllowedForms() {
        assertError(MINIMAL + "metric: top2\n", "x.yaml: metric: must be top1, agreement, {top_k: K} or {command:");
        assertError(MINIMAL + "metric: {top_k: 0}\n", "x.yaml: metric.top_k: must be in 1..1000, but was 0");
        assertError(
                MINIMAL + "metric: {top_k: 5, command: [x]}\n",
                "x.yaml: metric: must have exactly one of top_k or command");
        assertError(MINIMAL + "metric: {command: 'python3 m.py'}\n", "x.yaml: metric.command: must be a list");
        assertError(MINIMAL + "metric: {command: []}\n", "x.yaml: metric.command: must name a program first");
        assertError(
                MINIMAL + "metric: {command: [x], timeout_s: 0}\n",
                "x.yaml: metric.timeout_s: must be a finite number in (0, 86400] seconds");
        assertError(MINIMAL + "metric: {command: [x], name: 'a b'}\n", "x.yaml: metric.name: must be a short name");
        assertError(MINIMAL + "metric: {command: [x], shell: true}\n", "x.yaml: metric.shell: unknown key");
        assertError(
                MINIMAL + "constraints: {max_drop: {absolute: 250}}\n",
                "x.yaml: constraints.max_drop.absolute: must be a finite number in [0, 100] points, but was 250");
    }

    @Test
    void baselinesAreLabelledFilesResolvedLikeTheModel() {
        ExperimentConfig none = ExperimentReader.parse(MINIMAL, FILE);
        assertTrue(none.baselines().isEmpty());
        ExperimentConfig e = ExperimentReader.parse(
                MINIMAL + "baselines:\n"
                        + "  - {label: 'ORT int8', file: ../models/mlp_mnist.onnx}\n"
                        + "  - {label: other, file: ../models/lenet5_mnist.onnx}\n",
                FILE);
        assertEquals(
                List.of(
                        new ExperimentConfig.Baseline("ORT int8", Path.of("../models/mlp_mnist.onnx")),
                        new ExperimentConfig.Baseline("other", Path.of("../models/lenet5_mnist.onnx"))),
                e.baselines());
        assertEquals(e.baselines(), e.withOutput(Path.of("elsewhere")).baselines());
    }

    @Test
    void baselineErrorsNameTheFileTheKeyPathAndWhatWasExpected() {
        assertError(
                MINIMAL + "baselines: ../models/mlp_mnist.onnx\n",
                "x.yaml: baselines: a list of {label, file}, but was");
        assertError(MINIMAL + "baselines: [{label: a}]\n", "x.yaml: baselines[0].file: a pre-quantized ONNX file");
        assertError(
                MINIMAL + "baselines: [{file: ../models/mlp_mnist.onnx}]\n",
                "x.yaml: baselines[0].label: a label for the plot");
        assertError(
                MINIMAL + "baselines: [{label: '  ', file: ../models/mlp_mnist.onnx}]\n",
                "x.yaml: baselines[0].label: must be a non-empty label, but was '  '");
        assertError(
                MINIMAL + "baselines: [{label: a, file: ../models/nope.onnx}]\n",
                "x.yaml: baselines[0].file: must name an existing file, but was '../models/nope.onnx'");
        assertError(
                MINIMAL + "baselines: [{label: a, file: ../models/mlp_mnist.onnx, qconfig: q.yaml}]\n",
                "x.yaml: baselines[0].qconfig: unknown key; allowed keys: label, file");
        assertError(
                MINIMAL + "baselines: [{label: a, file: ../models/mlp_mnist.onnx}, "
                        + "{label: a, file: ../models/lenet5_mnist.onnx}]\n",
                "x.yaml: baselines[1].label: must be unique among the baselines, but was 'a'");
        assertError(
                MINIMAL + "baselines: [{label: 3, file: ../models/mlp_mnist.onnx}]\n",
                "x.yaml: baselines[0].label: a label for the plot, but was");
    }

    private static void assertError(String yaml, String start) {
        String m = assertThrows(QuantConfigException.class, () -> ExperimentReader.parse(yaml, FILE))
                .getMessage();
        assertTrue(m.startsWith(start), "expected '" + start + "...' but got: " + m);
    }
}
