package dev.qtune.search.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.search.space.Decoded;
import dev.qtune.search.space.GeneKey;
import dev.qtune.search.space.Genome;
import dev.qtune.search.trial.Provenance;
import dev.qtune.search.trial.StageTimes;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialMetrics;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import dev.qtune.search.trial.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deltas against the base config; latency changes within the base's own spread count as 0; failed probes are kept, marked. */
class SensitivityTableTest {
    private static final Genome G = Genome.of(0);

    private static TrialResult ok(double top1, double ms, double agreement, double divergence) {
        TrialSpec s = new TrialSpec(
                0,
                0,
                TrialKind.SENSITIVITY,
                "",
                new Decoded(G, QuantConfig.defaultConfig(), ScheduleConfig.EMPTY, List.of(), "h"),
                100,
                0.1);
        return new TrialResult(
                s,
                TrialStatus.OK,
                "",
                Optional.of(new TrialMetrics(top1, 100, ms, ms, ms, 1000, agreement, divergence)),
                StageTimes.NONE,
                new Provenance("m", "d", "t", "c", "h", 0, 1),
                ScheduleConfig.EMPTY,
                Instant.EPOCH);
    }

    private static TrialResult failed() {
        TrialSpec s = new TrialSpec(
                0,
                0,
                TrialKind.SENSITIVITY,
                "",
                new Decoded(G, QuantConfig.defaultConfig(), ScheduleConfig.EMPTY, List.of(), "h"),
                100,
                0.1);
        return new TrialResult(
                s,
                TrialStatus.FAILED,
                "compile: boom",
                Optional.empty(),
                StageTimes.NONE,
                new Provenance("m", "d", "t", "c", "h", 0, 1),
                ScheduleConfig.EMPTY,
                Instant.EPOCH);
    }

    @Test
    void deltasAgainstTheBaseWithLatencyNoiseAsZero() {
        List<SensitivityProbe> probes = List.of(
                new SensitivityProbe("", "", "", G),
                new SensitivityProbe("", "", "", G),
                new SensitivityProbe("", "", "", G),
                new SensitivityProbe("a", "weight_bits", "4", G),
                new SensitivityProbe("a", "skip", "true", G),
                new SensitivityProbe("b", "calibration", "max", G));
        SensitivityTable t = SensitivityTable.of(
                probes,
                List.of(
                        ok(0.90, 1.00, 0.98, 0.010),
                        ok(0.90, 1.02, 0.98, 0.010),
                        ok(0.90, 0.99, 0.98, 0.010),
                        ok(0.88, 1.01, 0.95, 0.030),
                        ok(0.91, 1.50, 0.99, 0.002),
                        failed()));
        assertEquals(1.00, t.baseLatencyMs(), 1e-12, "the median of the base's three");
        assertEquals(0.03, t.noiseMs(), 1e-12, "their spread");
        SensitivityEntry w4 = t.entry(new GeneKey("a", "weight_bits"), "4").orElseThrow();
        assertEquals(0.020, w4.dDivergence(), 1e-12);
        assertEquals(-0.02, w4.dTop1(), 1e-12);
        assertEquals(0, w4.dLatencyMs(), "+0.01 ms is within the noise");
        assertEquals(
                0.5, t.entry(new GeneKey("a", "skip"), "true").orElseThrow().dLatencyMs(), 1e-12);
        assertTrue(t.entry(new GeneKey("b", "calibration"), "max").isEmpty(), "a failed probe is never predicted");
        assertFalse(t.entries().get(2).ok());
        assertEquals("compile: boom", t.entries().get(2).reason());
        assertEquals("a.weight_bits", t.byHarm().get(0).gene().toString(), "written as layer.kind");
    }

    @Test
    void withoutABaseMeasurementThereIsNoTable() {
        List<SensitivityProbe> probes = List.of(new SensitivityProbe("", "", "", G));
        var e = assertThrows(IllegalStateException.class, () -> SensitivityTable.of(probes, List.of(failed())));
        assertTrue(e.getMessage().contains("base config failed: compile: boom"), e.getMessage());
    }
}
