package dev.qtune.evaluator.data;

import java.util.Arrays;

/**
 * The contents of an IDX file of unsigned bytes: its dimensions (outermost first) and the
 * elements in row-major order. Immutable: the arrays are copied in and out.
 *
 * @param dims dimension sizes, 1 to 3 of them, each >= 0
 * @param data row-major elements, exactly the product of {@code dims} bytes
 */
public record IdxArray(int[] dims, byte[] data) {

    public IdxArray {
        if (dims == null || dims.length < 1 || dims.length > 3) {
            throw new IllegalArgumentException(
                    "dims must have 1 to 3 entries, but was " + (dims == null ? "null" : Arrays.toString(dims)));
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("dims must be >= 0, but was " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (data == null || data.length != n) {
            throw new IllegalArgumentException("data must hold " + n + " bytes (product of dims "
                    + Arrays.toString(dims) + "), but was " + (data == null ? "null" : data.length + " bytes"));
        }
        dims = dims.clone();
        data = data.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of items: the outermost dimension. */
    public int count() {
        return dims[0];
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** The bytes of items {@code [start, start + n)} (a fresh copy). */
    byte[] items(int start, int n) {
        int item = dims.length == 1 ? 1 : data.length / Math.max(1, dims[0]);
        return Arrays.copyOfRange(data, start * item, (start + n) * item);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray other && Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(dims);
    }
}
