package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.Pass;
import java.util.Set;

/**
 * Turns a calibrated annotated graph into the integer graph of docs/integer-semantics.md:
 * quantized Conv/Gemm/MatMul become QConv/QDense (int32 accumulation, bias at scale
 * s_in * s_w, fixed-point requantization, fused Relu as a clamp), Add and Concat of integer values
 * become QAdd/QConcat, pools and reshapes run on integers, and Quantize/Dequantize mark every
 * boundary with fp32 ops. Nothing is recalibrated: all scales come from the SimQuantize nodes.
 * What happens to each op is its entry in {@link RealizeRules}.
 */
public final class QuantizeRealizePass implements Pass {
    @Override
    public Set<String> requires() {
        return Set.of("QuantizeCalibrate");
    }

    @Override
    public Graph run(Graph g) {
        return InferTypesPass.infer(new Realizer(g).run());
    }
}
