package dev.qtune.evaluator.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A NumPy array read from a {@code .npy} file or an {@code .npz} member (see {@link NpyReader}):
 * its element type, its shape (outermost first, C order) and its elements, held as unsigned bytes
 * ({@code uint8}), floats ({@code float32}, and {@code float64} narrowed to float32) or longs (the
 * other integer types). Immutable: arrays are copied in and out.
 */
public final class NpyArray {
    /** How the elements are held. */
    public enum Kind {
        /** {@code uint8}: {@link #bytes()}. */
        UINT8,
        /** {@code float32} or {@code float64}: {@link #floats()}. */
        FLOAT,
        /** Signed or unsigned integers of 1 to 8 bytes other than uint8: {@link #longs()}. */
        INTEGER
    }

    private final String dtype;
    private final Kind kind;
    private final int[] shape;
    private final byte[] bytes;
    private final float[] floats;
    private final long[] longs;

    private NpyArray(String dtype, Kind kind, int[] shape, byte[] bytes, float[] floats, long[] longs) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.kind = kind;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape must hold sizes >= 0, but was " + Arrays.toString(shape));
            }
            n *= d;
        }
        int held = bytes != null ? bytes.length : floats != null ? floats.length : longs.length;
        if (held != n) {
            throw new IllegalArgumentException("elements must number " + n + " (the product of shape "
                    + Arrays.toString(shape) + "), but were " + held);
        }
        this.bytes = bytes;
        this.floats = floats;
        this.longs = longs;
    }

    /** An array of unsigned bytes. */
    public static NpyArray ofBytes(int[] shape, byte[] data) {
        return new NpyArray("uint8", Kind.UINT8, shape, data.clone(), null, null);
    }

    /** An array of float32 values ({@code dtype} names what the file held: float32 or float64). */
    public static NpyArray ofFloats(String dtype, int[] shape, float[] data) {
        return new NpyArray(dtype, Kind.FLOAT, shape, null, data.clone(), null);
    }

    /** An array of integers ({@code dtype}: int8, int16, uint16, int32, uint32, int64, uint64). */
    public static NpyArray ofLongs(String dtype, int[] shape, long[] data) {
        return new NpyArray(dtype, Kind.INTEGER, shape, null, null, data.clone());
    }

    /** Arrays built by the reader, whose buffers nobody else holds. */
    static NpyArray owning(String dtype, Kind kind, int[] shape, byte[] bytes, float[] floats, long[] longs) {
        return new NpyArray(dtype, kind, shape, bytes, floats, longs);
    }

    /** The element type as NumPy names it: uint8, float32, float64, int64, ... */
    public String dtype() {
        return dtype;
    }

    public Kind kind() {
        return kind;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements. */
    public int size() {
        return bytes != null ? bytes.length : floats != null ? floats.length : longs.length;
    }

    /** The elements of a uint8 array, a copy. */
    public byte[] bytes() {
        require(Kind.UINT8);
        return bytes.clone();
    }

    /** The elements of a float array, a copy. */
    public float[] floats() {
        require(Kind.FLOAT);
        return floats.clone();
    }

    /** The elements of an integer array (uint8 included) as longs, a copy. */
    public long[] longs() {
        if (kind == Kind.UINT8) {
            long[] out = new long[bytes.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes[i] & 0xff;
            }
            return out;
        }
        require(Kind.INTEGER);
        return longs.clone();
    }

    /** The uint8 buffer itself, for the dataset loader (which copies what it keeps). */
    byte[] bytesView() {
        require(Kind.UINT8);
        return bytes;
    }

    /** The float buffer itself, for the dataset loader (which copies what it keeps). */
    float[] floatsView() {
        require(Kind.FLOAT);
        return floats;
    }

    private void require(Kind k) {
        if (kind != k) {
            throw new IllegalStateException(
                    "this array holds " + dtype + ", not " + k.name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
