package dev.qtune.targets.codegen;

/** C initialisers for constant arrays; floats are written as hexadecimal literals, so they are exact. */
final class CArrays {
    private static final int PER_LINE = 24;

    private CArrays() {
    }

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

    /** A C string literal (for names from the model). */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\%03o", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** A C comment's text: a model's name may not end the comment. */
    static String comment(String s) {
        return s.replace("*/", "* /").replaceAll("[\\r\\n]", " ");
    }
}
