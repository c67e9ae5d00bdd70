package dev.qtune.compiler.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor with data: a constant in a graph or a value computed by an interpreter. F32 data is a
 * {@code float[]}; every integer dtype is stored widened in an {@code int[]}. The arrays are shared,
 * not copied: a tensor is immutable by contract, and code that reads {@link #floats()} or
 * {@link #ints()} must never write to them.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final float[] floats;
    private final int[] ints;

    private Tensor(DType dtype, Shape shape, float[] floats, int[] ints) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (!shape.isStatic()) {
            throw new IllegalArgumentException("tensor shape must be static, but was " + shape);
        }
        int length = floats != null ? floats.length : ints.length;
        if (length != shape.numel()) {
            throw new IllegalArgumentException("tensor data length must equal the element count of " + shape + " ("
                    + shape.numel() + "), but was " + length);
        }
        this.floats = floats;
        this.ints = ints;
    }

    public static Tensor ofFloats(Shape shape, float[] data) {
        return new Tensor(DType.F32, shape, Objects.requireNonNull(data, "data"), null);
    }

    public static Tensor ofInts(DType dtype, Shape shape, int[] data) {
        if (!dtype.isInteger()) {
            throw new IllegalArgumentException("dtype of int data must be an integer type, but was " + dtype);
        }
        return new Tensor(dtype, shape, null, Objects.requireNonNull(data, "data"));
    }

    public static Tensor scalar(float value) {
        return ofFloats(Shape.of(), new float[] {value});
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public TensorType type() {
        return new TensorType(dtype, shape);
    }

    public int numel() {
        return floats != null ? floats.length : ints.length;
    }

    /** The float data (shared, read only). */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("tensor dtype must be f32 to read floats, but was " + dtype);
        }
        return floats;
    }

    /** The integer data (shared, read only). */
    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("tensor dtype must be an integer type to read ints, but was " + dtype);
        }
        return ints;
    }

    /** Element {@code i} as a float, whatever the dtype. */
    public float getFloat(int i) {
        return floats != null ? floats[i] : ints[i];
    }

    /** Element {@code i} as a long, whatever the dtype (floats are truncated). */
    public long getLong(int i) {
        return floats != null ? (long) floats[i] : ints[i];
    }

    public Tensor reshape(Shape newShape) {
        return new Tensor(dtype, newShape, floats, ints);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && dtype == t.dtype
                && shape.equals(t.shape)
                && Arrays.equals(floats, t.floats)
                && Arrays.equals(ints, t.ints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, shape, Arrays.hashCode(floats), Arrays.hashCode(ints));
    }

    @Override
    public String toString() {
        return "tensor<" + type() + ">";
    }
}
