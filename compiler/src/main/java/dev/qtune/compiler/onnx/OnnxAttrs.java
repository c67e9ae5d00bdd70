package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;

/** Builders of typed ONNX attributes (the type field set, as the ONNX checker requires). */
final class OnnxAttrs {
    private static final int FLOAT = 1;
    private static final int INT = 2;
    private static final int TENSOR = 4;
    private static final int INTS = 7;

    private OnnxAttrs() {}

    static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(INT)
                .setI(value)
                .build();
    }

    static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(FLOAT)
                .setF(value)
                .build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static AttributeProto tensor(String name, TensorProto value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(TENSOR)
                .setT(value)
                .build();
    }
}
