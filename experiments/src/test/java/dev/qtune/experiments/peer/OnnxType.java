package dev.qtune.experiments.peer;

import com.google.protobuf.ByteString;
import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The ONNX element types {@link ForeignQdqWriter} reads and writes, and their TensorProto encoding:
 * little-endian {@code raw_data}, the way ONNX Runtime's quantization tool and PyTorch's exporter
 * store initializers (independent of qtune's own OnnxTensors, which it is meant to test).
 */
enum OnnxType {
    FLOAT(1, 4, 0, 0),
    UINT8(2, 1, 0, 255),
    INT8(3, 1, -128, 127),
    INT32(6, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(7, 8, 0, 0);

    /** TensorProto.DataType. */
    final int code;

    final int bytes;
    /** The integer range (QuantizeLinear saturates to it); unused for FLOAT and INT64. */
    final int min;

    final int max;

    OnnxType(int code, int bytes, int min, int max) {
        this.code = code;
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    static OnnxType of(TensorProto t) {
        for (OnnxType type : values()) {
            if (type.code == t.getDataType()) {
                return type;
            }
        }
        throw new IllegalArgumentException("tensor '" + t.getName() + "' has ONNX data type " + t.getDataType()
                + ", which ForeignQdqWriter does not read");
    }

    /** The float32 values of a FLOAT tensor, from {@code raw_data} or {@code float_data}. */
    static float[] floats(TensorProto t) {
        if (of(t) != FLOAT) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' must be float32, but is " + of(t));
        }
        int n = numel(t.getDimsList());
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != 4L * n) {
                throw new IllegalArgumentException("tensor '" + t.getName() + "' of shape " + t.getDimsList()
                        + " must have " + 4L * n + " bytes of raw data, but has "
                        + t.getRawData().size());
            }
            float[] out = new float[n];
            t.getRawData()
                    .asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(out);
            return out;
        }
        if (t.getFloatDataCount() != n) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' of shape " + t.getDimsList()
                    + " must have " + n + " floats, but has " + t.getFloatDataCount());
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    static TensorProto floatTensor(String name, List<Long> dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return proto(name, FLOAT, dims, b.array(), values.length);
    }

    /** An integer tensor of this type (UINT8, INT8 or INT32); every value must be in the type's range. */
    TensorProto tensor(String name, List<Long> dims, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(bytes * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < min || v > max) {
                throw new IllegalArgumentException("tensor '" + name + "': value " + v + " at index " + i
                        + " is outside the " + this + " range [" + min + ", " + max + "]");
            }
            switch (this) {
                case UINT8, INT8 -> b.put((byte) v);
                case INT32 -> b.putInt(v);
                default ->
                    throw new IllegalStateException("tensor '" + name + "': " + this + " is not an integer type");
            }
        }
        return proto(name, this, dims, b.array(), values.length);
    }

    static int numel(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(2).setI(value).build();
    }

    private static TensorProto proto(String name, OnnxType type, List<Long> dims, byte[] raw, int n) {
        if (numel(dims) != n) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' of shape " + dims + " needs " + numel(dims) + " values, but got " + n);
        }
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.code)
                .addAllDims(dims)
                .setRawData(ByteString.copyFrom(raw))
                .build();
    }
}
