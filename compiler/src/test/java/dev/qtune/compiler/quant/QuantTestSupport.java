package dev.qtune.compiler.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures;
import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.interp.IntegerInterpreter;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Window2d;
import dev.qtune.compiler.pass.PassPipeline;
import java.util.Arrays;
import java.util.List;

/**
 * Shared by the quantization pass tests: seeded calibration of tiny graphs, quantization, node
 * look-ups, and the agreement check of realized, simulated and fp32 graphs. Activations are
 * calibrated with max here (KL on a few hundred random samples is a test of KL, not of the passes).
 */
final class QuantTestSupport {
    static final QuantConfig MAX = QuantConfigReader.parse("defaults:\n  activation_calibration: max\n", "max.yaml");
    static final int CALIBRATION = 200;
    static final int TEST = 40;

    private QuantTestSupport() {}

    static Window2d pad1(int k) {
        return new Window2d(k, k, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    static Graph prepare(GraphBuilder b) {
        return PassPipeline.prerequisites().run(b.build());
    }

    static int perSample(Graph g) {
        return g.inputs().get(0).type().shape().withDim(0, 1).bind(1).numel();
    }

    /** Statistics of every fp32 value over {@value #CALIBRATION} seeded samples uniform in [-1, 1). */
    static CalibrationStats calibrate(Graph fp32, long seed) {
        int per = perSample(fp32);
        float[] data = Fixtures.uniform(seed, CALIBRATION * per, -1f, 1f);
        BatchSource source = (start, n) -> Arrays.copyOfRange(data, start * per, (start + n) * per);
        return new CalibrationStats(
                fp32.name(),
                "uniform-" + seed,
                CALIBRATION,
                StatsCollector.collect(new Fp32Interpreter(fp32), CALIBRATION, source, 2));
    }

    static QuantizedModel quantize(Graph fp32, QuantConfig config) {
        return QuantizedModel.of(fp32, config, calibrate(fp32, 1));
    }

    static List<String> ops(Graph g) {
        return g.nodes().stream().map(Node::opType).toList();
    }

    static <T extends Node> List<T> nodes(Graph g, Class<T> type) {
        return g.nodes().stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends Node> T node(Graph g, String name, Class<T> type) {
        return type.cast(g.node(name));
    }

    /**
     * Runs the graphs on other seeded inputs. Simulated and realized outputs, on inputs in [-1, 1)
     * (where some activations exceed their calibrated range and saturate), differ by at most
     * {@code maxLsbs} output LSBs, and on fewer than 40% of the elements (a systematic off-by-one
     * would show on most). Realized and fp32 outputs, on inputs in [-0.8, 0.8) (within the
     * calibrated ranges, so the difference is rounding, not clipping), differ by at most
     * {@code relTol} times the largest fp32 output magnitude.
     */
    static void assertAgrees(QuantizedModel m, double relTol, int maxLsbs) {
        Graph real = m.realized();
        String out = real.outputNames().get(0);
        float lsb = ((DequantizeNode) real.producer(out).orElseThrow()).scale();
        float[] x = Fixtures.uniform(99, TEST * perSample(m.fp32()), -1f, 1f);
        float[] sim = new Fp32Interpreter(m.simulated()).run(x, TEST).floats();
        float[] q = new IntegerInterpreter(real).run(x, TEST).floats();
        int differ = 0;
        for (int i = 0; i < q.length; i++) {
            double lsbs = Math.abs(q[i] - sim[i]) / lsb;
            assertTrue(
                    lsbs <= maxLsbs + 1e-4,
                    real.name() + ": element " + i + " realized " + q[i] + " vs simulated " + sim[i] + " (" + lsbs
                            + " LSBs of " + lsb + ")");
            differ += q[i] != sim[i] ? 1 : 0;
        }
        assertTrue(
                differ < q.length * 0.4,
                real.name() + ": " + differ + " of " + q.length + " outputs differ from the simulated graph");

        for (int i = 0; i < x.length; i++) {
            x[i] *= 0.8f;
        }
        float[] fp = new Fp32Interpreter(m.fp32()).run(x, TEST).floats();
        float[] inRange = new IntegerInterpreter(real).run(x, TEST).floats();
        double maxFp = 0;
        double maxErr = 0;
        for (int i = 0; i < fp.length; i++) {
            maxFp = Math.max(maxFp, Math.abs(fp[i]));
            maxErr = Math.max(maxErr, Math.abs(inRange[i] - fp[i]));
        }
        assertTrue(
                maxFp > 0 && maxErr <= relTol * maxFp,
                real.name() + ": realized differs from fp32 by up to " + maxErr + ", more than " + relTol + " x "
                        + maxFp);
    }
}
