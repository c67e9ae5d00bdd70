package dev.qtune.targets.codegen;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** C initialisers for constant arrays; floats are written as hexadecimal literals, so they are exact. */
final class CArrays {
    private static final int PER_LINE = 24;

    private CArrays() {}

    static String ints(int[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            sb.append(i % PER_LINE == 0 ? "\n    " : " ").append(values[i]).append(i + 1 < values.length ? "," : "");
        }
        return sb.append("\n}").toString();
    }

    static String floats(float[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            sb.append(i % 8 == 0 ? "\n    " : " ").append(literal(values[i])).append(i + 1 < values.length ? "," : "");
        }
        return sb.append("\n}").toString();
    }

    /** An exact C float literal: hexadecimal for finite values, INFINITY and NAN otherwise. */
    static String literal(float v) {
        if (Float.isNaN(v)) {
            return "NAN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "INFINITY" : "-INFINITY";
        }
        return Float.toHexString(v) + "f";
    }

    /**
     * A C string literal for text from the model (a node's name). Only the safe characters
     * [A-Za-z0-9 _./:-] are written as themselves; every other byte of the UTF-8 encoding is a
     * three-digit octal escape. So no quote, backslash, newline or '?' (gcc's trigraph "??/" is a
     * backslash in -std=c11) ever reaches the C source, whatever the model holds.
     */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isSafe(c)) {
                sb.append((char) c);
            } else {
                sb.append('\\')
                        .append((char) ('0' + (c >> 6)))
                        .append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return sb.append('"').toString();
    }

    /**
     * A C comment's text for text from the model: safe characters as they are, every other byte
     * as '_', so the text can end neither the comment nor the line, nor form a trigraph.
     */
    static String comment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            sb.append(isSafe(c) ? (char) c : '_');
        }
        return sb.toString();
    }

    /**
     * 16 hexadecimal digits of the SHA-256 of a text (its UTF-8 bytes): a C identifier part or file
     * name derived from model text that carries none of it.
     */
    static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The characters that model text may carry into C source as themselves: [A-Za-z0-9 _./:-]. */
    static boolean isSafe(int c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || c == ' '
                || c == '_'
                || c == '.'
                || c == '/'
                || c == ':'
                || c == '-';
    }
}
