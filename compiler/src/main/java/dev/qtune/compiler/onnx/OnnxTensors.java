package dev.qtune.compiler.onnx;

import com.google.protobuf.ByteString;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts ONNX TensorProto (raw_data or typed fields) to IR tensors, and IR tensors back to
 * TensorProto (always little-endian raw_data, so that floats keep every bit).
 */
final class OnnxTensors {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private OnnxTensors() {}

    static Tensor toTensor(TensorProto t, String where) {
        if (t.getDataLocation() == 1) {
            throw new OnnxImportException(where + ": tensor '" + t.getName()
                    + "' uses external data, which qtune does not support (save the model with weights inline)");
        }
        int[] dims = dims(t, where);
        Shape shape = Shape.of(dims);
        int n = elementCount(t, where, dims);
        ByteBuffer raw = t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        return switch (t.getDataType()) {
            case FLOAT -> Tensor.ofFloats(shape, floats(t, where, n, raw));
            case DOUBLE -> Tensor.ofFloats(shape, doubles(t, where, n, raw));
            case INT64 -> Tensor.ofInts(DType.I64, shape, int64s(t, where, n, raw));
            case INT32, INT16, INT8, UINT8 -> {
                DType dtype = dtypeOf(t.getDataType(), where);
                yield Tensor.ofInts(dtype, shape, narrowInts(t, where, n, raw, dtype));
            }
            default ->
                throw new OnnxImportException(where + ": tensor '" + t.getName() + "' has ONNX data type "
                        + t.getDataType() + ", but qtune reads only FLOAT(1), DOUBLE(11), UINT8(2), INT8(3), INT16(5), "
                        + "INT32(6) and INT64(7)");
        };
    }

    private static int[] dims(TensorProto t, String where) {
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new OnnxImportException(where + ": tensor '" + t.getName() + "' dimension " + i
                        + " must be in [0, 2^31), but was " + d);
            }
            dims[i] = (int) d;
        }
        return dims;
    }

    /**
     * The number of elements, checked before anything is allocated: a corrupt header must give this
     * error, not an attempt to allocate gigabytes.
     */
    private static int elementCount(TensorProto t, String where, int[] dims) {
        long count = 1;
        for (int d : dims) {
            count = Math.min(count * d, 1L << 32);
        }
        if (count > Integer.MAX_VALUE) {
            throw new OnnxImportException(where + ": tensor '" + t.getName() + "' of shape " + t.getDimsList()
                    + " must have fewer than 2^31 elements (truncated or corrupt file?)");
        }
        return (int) count;
    }

    private static float[] floats(TensorProto t, String where, int n, ByteBuffer raw) {
        checkLength(t, where, raw != null ? raw.remaining() : t.getFloatDataCount(), raw != null ? n * 4L : n);
        float[] data = new float[n];
        if (raw != null) {
            raw.asFloatBuffer().get(data);
        } else {
            for (int i = 0; i < n; i++) {
                data[i] = t.getFloatData(i);
            }
        }
        return data;
    }

    private static float[] doubles(TensorProto t, String where, int n, ByteBuffer raw) {
        checkLength(t, where, raw != null ? raw.remaining() : t.getDoubleDataCount(), raw != null ? n * 8L : n);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (raw != null ? raw.getDouble(i * 8) : t.getDoubleData(i));
        }
        return data;
    }

    /** INT64 values, clamped to the int range. */
    private static int[] int64s(TensorProto t, String where, int n, ByteBuffer raw) {
        checkLength(t, where, raw != null ? raw.remaining() : t.getInt64DataCount(), raw != null ? n * 8L : n);
        int[] data = new int[n];
        for (int i = 0; i < n; i++) {
            long v = raw != null ? raw.getLong(i * 8) : t.getInt64Data(i);
            data[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return data;
    }

    /** INT32, INT16, INT8 or UINT8 values: raw in their own width, typed in int32_data. */
    private static int[] narrowInts(TensorProto t, String where, int n, ByteBuffer raw, DType dtype) {
        checkLength(
                t,
                where,
                raw != null ? raw.remaining() : t.getInt32DataCount(),
                raw != null ? (long) n * (dtype.bits() / 8) : n);
        int[] data = new int[n];
        for (int i = 0; i < n; i++) {
            data[i] = raw == null ? t.getInt32Data(i) : rawInt(raw, i, dtype);
        }
        return data;
    }

    private static int rawInt(ByteBuffer raw, int i, DType dtype) {
        return switch (dtype) {
            case I32 -> raw.getInt(i * 4);
            case I16 -> raw.getShort(i * 2);
            case I8 -> raw.get(i);
            default -> raw.get(i) & 0xff;
        };
    }

    private static void checkLength(TensorProto t, String where, long found, long expected) {
        if (found != expected) {
            throw new OnnxImportException(where + ": tensor '" + t.getName() + "' of shape " + t.getDimsList()
                    + " must hold " + expected + (t.hasRawData() ? " bytes" : " values") + ", but holds " + found
                    + " (truncated or corrupt file?)");
        }
    }

    static DType dtypeOf(int onnxType, String where) {
        return switch (onnxType) {
            case FLOAT -> DType.F32;
            case UINT8 -> DType.U8;
            case INT8 -> DType.I8;
            case INT16 -> DType.I16;
            case INT32 -> DType.I32;
            case INT64 -> DType.I64;
            default ->
                throw new OnnxImportException(where + ": element type must be one of FLOAT(1), UINT8(2), "
                        + "INT8(3), INT16(5), INT32(6), INT64(7), but was " + onnxType);
        };
    }

    /** The ONNX element type of an IR dtype. */
    static int onnxType(DType dtype) {
        return switch (dtype) {
            case F32 -> FLOAT;
            case U8 -> UINT8;
            case I8 -> INT8;
            case I16 -> INT16;
            case I32 -> INT32;
            case I64 -> INT64;
        };
    }

    /** A named TensorProto holding {@code t} as little-endian raw_data in its own element type. */
    static TensorProto toProto(String name, Tensor t) {
        int n = t.numel();
        int width = t.dtype() == DType.F32 ? 4 : t.dtype().bits() / 8;
        ByteBuffer buf = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case F32 -> buf.asFloatBuffer().put(t.floats());
            case I64 -> {
                for (int v : t.ints()) {
                    buf.putLong(v);
                }
            }
            case I32 -> buf.asIntBuffer().put(t.ints());
            case I16 -> {
                for (int v : t.ints()) {
                    buf.putShort((short) v);
                }
            }
            case I8, U8 -> {
                for (int v : t.ints()) {
                    buf.put((byte) v);
                }
            }
        }
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(onnxType(t.dtype()))
                .setRawData(ByteString.copyFrom(buf.array()));
        for (int d : t.shape().dims()) {
            b.addDims(d);
        }
        return b.build();
    }
}
