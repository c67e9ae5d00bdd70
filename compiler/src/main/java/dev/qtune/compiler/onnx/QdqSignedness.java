package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Re-encodes a QDQ model in the other 8-bit signedness: every int8/uint8 tensor that a
 * QuantizeLinear or DequantizeLinear takes (zero points and integer initializers) becomes q + 128
 * as uint8 or q - 128 as int8, with the zero point moved by the same 128. The file stands for
 * exactly the same real values, with non-zero zero points nearly everywhere (docs/integer-semantics.md,
 * "Zero points"): how the tests check that zero points change no result, in the interpreter and in
 * native code. Mark the result as another tool's file (its producer name): it is no longer qtune's
 * own encoding.
 */
public final class QdqSignedness {
    private QdqSignedness() {}

    /** The model with its 8-bit QDQ tensors in the other signedness (see the class comment). */
    public static ModelProto flip(ModelProto m) {
        GraphProto g = m.getGraph();
        Set<String> eightBit = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            if (QuantizedOps.isQdq(n.getOpType())) {
                eightBit.add(n.getInput(0));
                if (n.getInputCount() > 2) {
                    eightBit.add(n.getInput(2));
                }
            }
        }
        for (String name : eightBit) {
            g = replaceInitializer(g, name, t -> {
                Tensor v = OnnxTensors.toTensor(t, name);
                if (v.dtype() != DType.I8 && v.dtype() != DType.U8) {
                    return t;
                }
                int shift = v.dtype() == DType.I8 ? 128 : -128;
                int[] ints = v.ints().clone();
                for (int i = 0; i < ints.length; i++) {
                    ints[i] += shift;
                }
                return OnnxTensors.toProto(
                        t.getName(), Tensor.ofInts(v.dtype() == DType.I8 ? DType.U8 : DType.I8, v.shape(), ints));
            });
        }
        return m.toBuilder().setGraph(g).build();
    }

    /** The graph with initializer {@code name} (if any) replaced by {@code edit} of it. */
    static GraphProto replaceInitializer(GraphProto g, String name, UnaryOperator<TensorProto> edit) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInitializerCount(); i++) {
            if (b.getInitializer(i).getName().equals(name)) {
                b.setInitializer(i, edit.apply(b.getInitializer(i)));
            }
        }
        return b.build();
    }
}
