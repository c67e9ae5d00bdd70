package dev.qtune.compiler.onnx;

import com.google.protobuf.ByteString;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorShapeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TypeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Builds small ONNX models with the generated protobuf builders, for importer tests. */
final class OnnxModels {
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int ATTR_FLOAT = 1;
    static final int ATTR_INT = 2;
    static final int ATTR_TENSOR = 4;
    static final int ATTR_INTS = 7;

    private OnnxModels() {}

    /** A value info; a dimension of -1 becomes the symbolic dimension "batch". */
    static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(
                    d < 0
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                            : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(elemType)
                                .setShape(shape)))
                .build();
    }

    static NodeProto node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(ATTR_INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(ATTR_INT)
                .setI(value)
                .build();
    }

    static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(ATTR_FLOAT)
                .setF(value)
                .build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(ATTR_TENSOR)
                .setT(t)
                .build();
    }

    /** An f32 tensor with its values in float_data. */
    static TensorProto floatData(String name, long[] dims, float... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long d : dims) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    /** An f32 tensor with its values as little-endian raw_data. */
    static TensorProto rawData(String name, long[] dims, float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        TensorProto.Builder b =
                TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    static GraphProto.Builder graph(String name) {
        return GraphProto.newBuilder().setName(name);
    }

    static ModelProto model(long opset, GraphProto.Builder graph) {
        return ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("qtune-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    /** x -> Relu -> y over f32[?x3], a valid model to vary. */
    static GraphProto.Builder reluGraph() {
        return graph("relu")
                .addInput(value("x", FLOAT, -1, 3))
                .addOutput(value("y", FLOAT, -1, 3))
                .addNode(node("Relu", "relu0", List.of("x"), List.of("y")));
    }
}
