package dev.qtune.compiler.interp;

import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;

/** Runs one kernel from the fp32 kernel table on given tensors, with no constants in the context. */
final class KernelRunner {
    private KernelRunner() {}

    static Tensor run(Node node, Tensor... inputs) {
        Tensor[] out =
                Fp32Kernels.kernel(node).apply(node, inputs, new KernelContext(new GraphBuilder("kernel").build()));
        return out[0];
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
