package dev.qtune.compiler.ir;

import dev.qtune.compiler.QtuneException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A tensor shape. A dimension of {@link #DYNAMIC} is unknown until run time (the batch axis of a
 * model input); every other dimension is a positive size. Immutable.
 */
public final class Shape {
    public static final int DYNAMIC = -1;

    private final int[] dims;

    private Shape(int[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 && dims[i] != DYNAMIC) {
                throw new IllegalArgumentException(
                        "shape dimension " + i + " must be >= 0 or DYNAMIC, but was " + dims[i]);
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    public boolean isStatic() {
        for (int d : dims) {
            if (d == DYNAMIC) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements; requires a static shape. */
    public int numel() {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == DYNAMIC) {
                throw new IllegalStateException("numel of a dynamic shape " + this);
            }
            n = checkedProduct(n, dims[i]);
        }
        return (int) n;
    }

    /** Product of dimensions from {@code from} (inclusive) to {@code to} (exclusive), or DYNAMIC. */
    public int product(int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            if (dims[i] == DYNAMIC) {
                return DYNAMIC;
            }
            n = checkedProduct(n, dims[i]);
        }
        return (int) n;
    }

    /** {@code n * d}, refused (one line, naming the shape) when it reaches 2^31: sizes are Java ints. */
    private long checkedProduct(long n, int d) {
        long p = n * d; // both below 2^31: no long overflow
        if (p > Integer.MAX_VALUE) {
            throw new QtuneException("shape " + this + " must have fewer than 2^31 elements (a tensor or a row of it"
                    + " that large cannot be held in memory)");
        }
        return p;
    }

    /** This shape with the dynamic dimensions replaced by {@code value} (binding the batch size). */
    public Shape bind(int value) {
        int[] d = dims.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == DYNAMIC) {
                d[i] = value;
            }
        }
        return new Shape(d);
    }

    public Shape withDim(int axis, int value) {
        int[] d = dims.clone();
        d[axis] = value;
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.stream(dims)
                .mapToObj(d -> d == DYNAMIC ? "?" : Integer.toString(d))
                .collect(Collectors.joining("x", "[", "]"));
    }
}
