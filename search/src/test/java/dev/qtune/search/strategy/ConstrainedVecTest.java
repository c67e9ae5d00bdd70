package dev.qtune.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qtune.search.space.Genome;
import org.junit.jupiter.api.Test;

/** Positive dominance means "worse" here: the selector runs with Optimize.MINIMUM. */
class ConstrainedVecTest {
    private static final Genome G = Genome.of(0);

    private static ConstrainedVec ok(double a, double b, double violation) {
        return ConstrainedVec.of(Observation.ok(G, new double[] {a, b}, violation));
    }

    @Test
    void feasibleTrialsCompareByParetoDominance() {
        assertEquals(-1, ok(1, 1, 0).dominance(ok(2, 1, 0)));
        assertEquals(1, ok(2, 2, 0).dominance(ok(1, 1, 0)));
        assertEquals(0, ok(1, 2, 0).dominance(ok(2, 1, 0)));
        assertEquals(0, ok(1, 1, 0).dominance(ok(1, 1, 0)));
    }

    @Test
    void feasibleBeatsInfeasibleWhichIsOrderedByViolation() {
        assertEquals(-1, ok(9, 9, 0).dominance(ok(0, 0, 0.1)));
        assertEquals(1, ok(0, 0, 0.1).dominance(ok(9, 9, 0)));
        assertEquals(-1, ok(9, 9, 0.1).dominance(ok(0, 0, 0.2)));
        assertEquals(-1, ok(1, 1, 0.1).dominance(ok(2, 2, 0.1)));
    }

    @Test
    void failedIsWorstOfAll() {
        ConstrainedVec failed = ConstrainedVec.failedAt(new double[] {0, 0});
        assertEquals(1, failed.dominance(ok(9, 9, 5)));
        assertEquals(-1, ok(9, 9, 5).dominance(failed));
        assertEquals(0, failed.dominance(ConstrainedVec.failedAt(new double[] {1, 1})));
        assertThrows(IllegalArgumentException.class, () -> ConstrainedVec.of(Observation.failed(G)));
    }
}
