package dev.qtune.evaluator.nativecode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.targets.Target;

/**
 * Test helper for graphs with fp32 layers on targets whose fp32 kernels use FMA: their outputs are
 * not bit-exact, and an fp32 island feeding a Quantize may move a value by one level, so such a
 * graph is held to docs/codegen.md's mixed-graph tolerance: predictions agree on at least
 * {@value #AGREEMENT} of the images and no output differs by more than {@value #RELATIVE} of the
 * largest one.
 */
final class Fp32Islands {
    static final double AGREEMENT = 0.998;
    static final double RELATIVE = 0.01;

    private Fp32Islands() {}

    /** Whether the graph has fp32 compute layers and the target runs them with the fast kernels. */
    static boolean fastOn(Graph g, Target target) {
        return target.features().fastFp32() && g.nodes().stream().anyMatch(Fp32Islands::fp32Compute);
    }

    private static boolean fp32Compute(Node n) {
        return n instanceof Conv2dNode || n instanceof GemmNode || n instanceof MatMulNode;
    }

    static void assertClose(float[] expected, float[] actual, int images, String what) {
        int classes = expected.length / images;
        double scale = 1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        int agree = 0;
        for (int i = 0; i < images; i++) {
            agree += argmax(expected, i * classes, classes) == argmax(actual, i * classes, classes) ? 1 : 0;
        }
        System.err.printf(
                "fp32 islands %s: %d of %d predictions agree, largest difference %.3g (scale %.3g)%n",
                what, agree, images, worst, scale);
        assertTrue(agree >= AGREEMENT * images, agree + " of " + images + " predictions agree for " + what);
        assertTrue(
                worst <= RELATIVE * scale,
                "largest difference " + worst + " > " + RELATIVE + " x " + scale + " for " + what);
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
