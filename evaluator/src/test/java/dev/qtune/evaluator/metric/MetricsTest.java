package dev.qtune.evaluator.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.DatasetSpec;
import dev.qtune.evaluator.data.ImageSpec;
import dev.qtune.evaluator.data.Layout;
import dev.qtune.evaluator.data.SplitSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each metric on four samples of three classes: top-1 and top-k (ties to the lower class, so
 * top-1 is argmax), agreement with a reference, and a command that computes top-1 from the .npy
 * files it is given; a command that fails, hangs or prints no number is a one-line error saying so.
 */
class MetricsTest {
    /** Labels 0, 1, 2, 2; sample 3 has a tie between classes 0 and 2. */
    private static final float[] OUTPUTS = {
        5, 1, 0, // top class 0, label 0: hit
        3, 2, 1, // top class 0, label 1: second
        0, 1, 2, // top class 2, label 2: hit
        4, 0, 4
    }; // tie 0 and 2, label 2: argmax says 0

    private static final Dataset DATA = dataset(new int[] {0, 1, 2, 2});

    @TempDir
    Path tmp;

    private static Dataset dataset(int[] labels) {
        DatasetSpec spec = new DatasetSpec(
                "toy",
                3,
                List.of(),
                Layout.NCHW,
                OptionalDouble.empty(),
                List.of(),
                List.of(),
                ImageSpec.DEFAULT,
                Map.of("test", new SplitSpec("x", "y", 0, OptionalInt.empty())));
        byte[] pixels = new byte[labels == null ? 4 : labels.length];
        return Dataset.ofBytes(spec, "test", 1, 1, 1, pixels, labels);
    }

    private static double score(MetricSpec m, Dataset d, float[] reference) {
        return Metrics.score(m, d, 4, OUTPUTS, new int[] {3}, reference);
    }

    @Test
    void topOneAndTopK() {
        assertEquals(0.5, score(MetricSpec.TOP1, DATA, null));
        assertEquals(1.0, score(MetricSpec.topK(2), DATA, null), "sample 1's label is second, sample 3's ties first");
        assertEquals(1.0, score(MetricSpec.topK(3), DATA, null));
        assertEquals("top5", MetricSpec.topK(5).label());
    }

    @Test
    void agreementNeedsNoLabels() {
        Dataset unlabeled = dataset(null);
        float[] reference = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
        assertEquals(0.75, score(MetricSpec.AGREEMENT, unlabeled, reference));
        MetricException e = assertThrows(MetricException.class, () -> score(MetricSpec.TOP1, unlabeled, null));
        assertEquals(
                "metric top1 needs labels, but toy/test has none; give the split labels, or use metric: agreement or"
                        + " a command",
                e.getMessage());
    }

    @Test
    void aCommandReadsTheOutputsAndLabels() {
        MetricSpec m = MetricSpec.command(
                MetricScripts.command(tmp, "Top1", MetricScripts.TOP1), 60, Optional.of(tmp), "mine");
        assertEquals(0.5, score(m, DATA, null));
        assertEquals("mine", m.label());
    }

    @Test
    void aFailingCommandIsOneLineWithItsMessage() {
        MetricSpec fail =
                MetricSpec.command(MetricScripts.command(tmp, "Fail", MetricScripts.FAIL), 60, Optional.empty(), "m");
        MetricException e = assertThrows(MetricException.class, () -> score(fail, DATA, null));
        assertEquals(
                "metric command " + MetricScripts.java() + " failed: exit code 3; stderr: boom: no such column",
                e.getMessage());

        String print =
                "public class Words { public static void main(String[] a) { System.out.println(\"accuracy: 0.9\"); } }";
        MetricSpec words = MetricSpec.command(MetricScripts.command(tmp, "Words", print), 60, Optional.empty(), "m");
        assertEquals(
                "metric command " + MetricScripts.java() + " printed 'accuracy: 0.9' on stdout, expected one number",
                assertThrows(MetricException.class, () -> score(words, DATA, null))
                        .getMessage());

        String hang =
                "public class Hang { public static void main(String[] a) throws Exception { Thread.sleep(60000); } }";
        MetricSpec slow = MetricSpec.command(MetricScripts.command(tmp, "Hang", hang), 3, Optional.empty(), "m");
        assertEquals(
                "metric command " + MetricScripts.java() + " failed: no result within 3.0 s; killed",
                assertThrows(MetricException.class, () -> score(slow, DATA, null))
                        .getMessage());

        MetricSpec missing =
                MetricSpec.command(List.of(tmp.resolve("no-such-program").toString()), 5, Optional.empty(), "m");
        String m = assertThrows(MetricException.class, () -> score(missing, DATA, null))
                .getMessage();
        assertTrue(
                m.startsWith("metric command " + tmp.resolve("no-such-program") + " could not run: cannot start "), m);
        assertEquals(1, m.lines().count());
    }
}
