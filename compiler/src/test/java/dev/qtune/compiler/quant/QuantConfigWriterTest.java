package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.lower.ScheduleConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class QuantConfigWriterTest {
    private static final List<String> NAMES =
            List.of("/conv/Conv", "/layer1/conv1/Conv", "odd*name?", "true", "123", "re:looks-like-regex", "/fc/Gemm");

    @Test
    void writtenConfigReadsBackToTheSameEffectiveConfigPerLayer() {
        List<LayerOverride> overrides = List.of(
                new LayerOverride(
                        QuantConfigWriter.exactPattern("/conv/Conv"),
                        OptionalInt.empty(),
                        OptionalInt.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        OptionalDouble.empty(),
                        Optional.of(true),
                        Optional.empty()),
                new LayerOverride(
                        QuantConfigWriter.exactPattern("odd*name?"),
                        OptionalInt.of(4),
                        OptionalInt.of(16),
                        Optional.of(WeightScaleMode.POWER2),
                        Optional.of(Granularity.PER_TENSOR),
                        Optional.of(CalibrationMode.MSE),
                        OptionalDouble.of(99.9),
                        Optional.of(false),
                        Optional.of(Rounding.TONEAREST),
                        Optional.of(ActivationMode.SYMMETRIC)),
                new LayerOverride(
                        QuantConfigWriter.exactPattern("true"),
                        OptionalInt.of(6),
                        OptionalInt.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(CalibrationMode.PERCENTILE),
                        OptionalDouble.empty(),
                        Optional.empty(),
                        Optional.empty()),
                new LayerOverride(
                        QuantConfigWriter.exactPattern("re:looks-like-regex"),
                        OptionalInt.of(7),
                        OptionalInt.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        OptionalDouble.empty(),
                        Optional.empty(),
                        Optional.empty()));
        QuantConfig config = new QuantConfig(
                LayerQuantConfig.DEFAULT.withActivationMode(ActivationMode.ASYMMETRIC),
                overrides,
                500,
                OptionalDouble.empty(),
                true,
                Optional.of(CalibrationMode.MAX),
                "test");
        String yaml = QuantConfigWriter.toYaml(config, "a comment\nover two lines");
        assertTrue(yaml.startsWith("# a comment\n# over two lines\n"), yaml);
        QuantConfig back = QuantConfigReader.parse(yaml, "written.yaml");
        for (String n : NAMES) {
            assertEquals(config.forLayer(n), back.forLayer(n), n + " in\n" + yaml);
        }
        assertEquals(500, back.calibrationSamples());
        assertEquals(Optional.of(CalibrationMode.MAX), back.boundaryCalibration());
    }

    @Test
    void scheduleAndItsTargetReadBack() {
        var schedule = new ScheduleConfig(Map.of(
                "/layer1/conv1/Conv",
                Map.of("oc_block", 16, "ow_tile", 4, "dot", 16),
                "odd*name?",
                Map.of("oc_block", 8),
                "true",
                Map.of("ow_tile", 2)));
        QuantConfigFile file = new QuantConfigFile(QuantConfig.defaultConfig(), schedule, Optional.of("x86-avx2"));
        String yaml = QuantConfigWriter.toYaml(file, "c");
        QuantConfigFile back = QuantConfigReader.parseFile(yaml, "written.yaml");
        assertEquals(schedule.layers(), back.schedule().layers(), yaml);
        assertEquals(Optional.of("x86-avx2"), back.scheduleTarget());
        assertEquals(QuantConfig.defaultConfig().defaults(), back.config().defaults());
        assertTrue(!QuantConfigWriter.toYaml(QuantConfig.defaultConfig(), "").contains("schedule"));
    }

    @Test
    void exactPatternsMatchOnlyTheirOwnName() {
        assertTrue(QuantConfigWriter.exactPattern("odd*name?").matches("odd*name?"));
        assertTrue(!QuantConfigWriter.exactPattern("odd*name?").matches("oddXXnameY"));
        assertTrue(!QuantConfigWriter.exactPattern("re:a.c").matches("re:abc"));
        assertTrue(QuantConfigWriter.exactPattern("re:a.c").matches("re:a.c"));
    }
}
