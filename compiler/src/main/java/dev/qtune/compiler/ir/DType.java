package dev.qtune.compiler.ir;

/**
 * Element types of IR tensors. Integer types are stored widened to {@code int} in {@link Tensor};
 * their range is what {@link #min()} and {@link #max()} say.
 */
public enum DType {
    F32("f32", 32, true, false),
    I8("i8", 8, true, true),
    U8("u8", 8, false, true),
    I16("i16", 16, true, true),
    I32("i32", 32, true, true),
    /** 64-bit integers only appear as shape operands (Reshape); values are held as int. */
    I64("i64", 64, true, true);

    private final String text;
    private final int bits;
    private final boolean signed;
    private final boolean integer;

    DType(String text, int bits, boolean signed, boolean integer) {
        this.text = text;
        this.bits = bits;
        this.signed = signed;
        this.integer = integer;
    }

    public int bits() {
        return bits;
    }

    public boolean isSigned() {
        return signed;
    }

    public boolean isInteger() {
        return integer;
    }

    /** Smallest representable value of an integer type. */
    public long min() {
        requireInteger();
        return signed ? -(1L << (bits - 1)) : 0;
    }

    /** Largest representable value of an integer type. */
    public long max() {
        requireInteger();
        return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
    }

    private void requireInteger() {
        if (!integer) {
            throw new IllegalStateException("dtype must be an integer type, but was " + text);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
