package dev.qtune.compiler.ir;

import java.util.Objects;

/** The static type of a value: element type and shape. */
public record TensorType(DType dtype, Shape shape) {
    public TensorType {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    public static TensorType f32(int... dims) {
        return new TensorType(DType.F32, Shape.of(dims));
    }

    @Override
    public String toString() {
        return dtype + shape.toString();
    }
}
