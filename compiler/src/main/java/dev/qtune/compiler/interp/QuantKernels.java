package dev.qtune.compiler.interp;

import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.quant.QuantMath;

/**
 * The boundary kernels of docs/integer-semantics.md: Quantize (f32 to int), Dequantize (int to
 * f32) and SimQuantize (both at once, in fp32, for simulated quantization).
 */
final class QuantKernels {
    private QuantKernels() {}

    static Tensor[] quantize(Node node, Tensor[] in, KernelContext ctx) {
        QuantizeNode q = (QuantizeNode) node;
        float[] x = in[0].floats();
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = QuantMath.quantize(x[i], q.scale(), q.zeroPoint(), q.range());
        }
        return new Tensor[] {Tensor.ofInts(q.dtype(), in[0].shape(), y)};
    }

    static Tensor[] dequantize(Node node, Tensor[] in, KernelContext ctx) {
        DequantizeNode dq = (DequantizeNode) node;
        float scale = dq.scale();
        int z = dq.zeroPoint();
        int[] q = in[0].ints();
        float[] y = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            y[i] = (q[i] - z) * scale;
        }
        return new Tensor[] {Tensor.ofFloats(in[0].shape(), y)};
    }

    static Tensor[] simQuantize(Node node, Tensor[] in, KernelContext ctx) {
        QuantSpec spec = ((SimQuantizeNode) node).spec();
        if (!spec.isCalibrated()) {
            throw new IllegalStateException(
                    "SimQuantize node '" + node.name() + "' has no scales: run QuantizeCalibrate first");
        }
        float[] scales = spec.scaleArray();
        Shape s = in[0].shape();
        int inner = spec.axis() < 0 ? s.numel() : s.product(spec.axis() + 1, s.rank());
        int channels = spec.axis() < 0 ? 1 : s.dim(spec.axis());
        float[] x = in[0].floats();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float sc = scales[scales.length == 1 ? 0 : (i / inner) % channels];
            y[i] = (QuantMath.quantize(x[i], sc, spec.zeroPoint(), spec.range()) - spec.zeroPoint()) * sc;
        }
        return new Tensor[] {Tensor.ofFloats(s, y)};
    }
}
