package dev.qtune.evaluator.security;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations for {@link InputFuzzTest}: flips, random bytes, big integers, truncation, insertion, chunk copies. */
final class FuzzMutations {
    private static final byte[][] INTERESTING = {
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},
        {0, 0, 0, (byte) 0x80},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x08},
        "[[[[[[[[".getBytes(),
        "*a &a ".getBytes(),
        "\n- ".getBytes(),
        "??/".getBytes(),
        {0},
    };

    private FuzzMutations() {}

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b = splice(b, at, INTERESTING[r.nextInt(INTERESTING.length)], true);
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> b = splice(b, at, INTERESTING[r.nextInt(INTERESTING.length)], false);
                default -> {
                    int from = r.nextInt(b.length);
                    int len = Math.min(1 + r.nextInt(64), b.length - from);
                    b = splice(b, at, Arrays.copyOfRange(b, from, from + len), false);
                }
            }
        }
        return b;
    }

    /** {@code b} with {@code piece} written over (overwrite) or inserted at {@code at}. */
    private static byte[] splice(byte[] b, int at, byte[] piece, boolean overwrite) {
        if (overwrite) {
            byte[] out = b.clone();
            System.arraycopy(piece, 0, out, at, Math.min(piece.length, out.length - at));
            return out;
        }
        byte[] out = new byte[b.length + piece.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(b, at, out, at + piece.length, b.length - at);
        return out;
    }
}
