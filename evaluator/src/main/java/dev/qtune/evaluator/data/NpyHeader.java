package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a .npy array: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (10000, 28, 28), }}, parsed strictly
 * (exactly those three keys; strings, booleans and a tuple of non-negative integers).
 *
 * @param type  the element type
 * @param shape the dimensions, outermost first
 */
record NpyHeader(Type type, int[] shape) {
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([uif])([1248])");

    /** A supported element type: its NumPy name, how it is held, its size and byte order. */
    record Type(String name, NpyArray.Kind kind, int itemSize, ByteOrder order, boolean unsigned) {
        long integer(ByteBuffer b) {
            return switch (itemSize) {
                case 1 -> unsigned ? b.get() & 0xffL : b.get();
                case 2 -> unsigned ? b.getShort() & 0xffffL : b.getShort();
                case 4 -> unsigned ? b.getInt() & 0xffffffffL : b.getInt();
                default -> b.getLong(); // uint64 above 2^63 reads negative: a label check refuses it
            };
        }
    }

    String describe() {
        return type.name() + " " + Arrays.toString(shape);
    }

    /** The number of elements, checked against the data limit before anything is allocated. */
    long elements(String where) {
        long limitBytes = InputLimits.dataBytes();
        long maxElements = Math.min(limitBytes / type.itemSize(), Integer.MAX_VALUE - 8L);
        long n = 1;
        for (int d : shape) {
            n = d == 0 ? 0 : n > maxElements / d ? maxElements + 1 : n * d;
        }
        if (n > maxElements) {
            throw new DatasetException(where + ": expected at most " + maxElements + " elements (" + limitBytes
                    + " bytes, raise -D" + InputLimits.DATA_BYTES + "), found a header declaring " + describe());
        }
        return n;
    }

    static NpyHeader parse(String text, String where) {
        Map<String, Object> dict = new Parser(text, where).dict();
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new DatasetException(
                    where + ": expected header keys descr, fortran_order, shape, found " + dict.size() + " keys");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new DatasetException(
                    where + ": expected descr to be a plain dtype string such as '<f4', found a " + "structured dtype");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new DatasetException(where + ": expected fortran_order True or False, found another value");
        }
        if (fortran) {
            throw new DatasetException(where + ": expected fortran_order False (C order), found True; save the array "
                    + "with numpy.ascontiguousarray first");
        }
        if (!(dict.get("shape") instanceof int[] shape)) {
            throw new DatasetException(where + ": expected shape to be a tuple of integers, found another value");
        }
        return new NpyHeader(type(descr, where), shape);
    }

    private static Type type(String descr, String where) {
        Matcher m = DESCR.matcher(descr);
        if (!m.matches()) {
            throw new DatasetException(where + ": expected dtype uint8, float32, float64 or an integer type, found '"
                    + InputLimits.excerpt(descr) + "'");
        }
        char kind = m.group(2).charAt(0);
        int size = Integer.parseInt(m.group(3));
        ByteOrder order = switch (m.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "<" -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        if (kind == 'f' && size < 4) {
            throw new DatasetException(
                    where + ": expected dtype uint8, float32, float64 or an integer type, found " + "float16");
        }
        if (kind == 'f') {
            return new Type(size == 4 ? "float32" : "float64", NpyArray.Kind.FLOAT, size, order, false);
        }
        boolean unsigned = kind == 'u';
        String name = (unsigned ? "uint" : "int") + 8 * size;
        NpyArray.Kind k = unsigned && size == 1 ? NpyArray.Kind.UINT8 : NpyArray.Kind.INTEGER;
        return new Type(name, k, size, order, unsigned);
    }

    /** A strict reader of the header's dict literal. */
    private static final class Parser {
        private final String s;
        private final String where;
        private int at;

        Parser(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (!peek('}')) {
                String key = string();
                expect(':');
                Object value = value();
                if (out.put(key, value) != null) {
                    throw error("each key once", "a repeated key");
                }
                if (!peek('}')) {
                    expect(',');
                }
            }
            expect('}');
            skipSpace();
            if (at != s.length()) {
                throw error("the header to end after its dict", "more text");
            }
            return out;
        }

        private Object value() {
            skipSpace();
            if (at < s.length() && (s.charAt(at) == '\'' || s.charAt(at) == '"')) {
                return string();
            }
            if (s.startsWith("True", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            if (peek('(')) {
                return tuple();
            }
            if (peek('[')) {
                throw new DatasetException(where + ": expected descr to be a plain dtype string such as '<f4', found a "
                        + "structured dtype");
            }
            throw error("a string, True, False or a tuple", "another value");
        }

        private int[] tuple() {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (!peek(')')) {
                dims.add(integer());
                if (!peek(')')) {
                    expect(',');
                }
            }
            expect(')');
            if (dims.size() > 8) {
                throw error("a shape of at most 8 dimensions", dims.size() + " dimensions");
            }
            return dims.stream().mapToInt(Integer::intValue).toArray();
        }

        private int integer() {
            skipSpace();
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at)) && at - start < 12) {
                at++;
            }
            if (start == at) {
                throw error("a non-negative integer in shape", "another character");
            }
            long v = Long.parseLong(s.substring(start, at));
            if (at < s.length() && s.charAt(at) == 'L') {
                at++; // Python 2's long suffix
            }
            if (v > Integer.MAX_VALUE) {
                throw error("shape sizes below 2^31", Long.toString(v));
            }
            return (int) v;
        }

        private String string() {
            skipSpace();
            if (at >= s.length() || s.charAt(at) != '\'' && s.charAt(at) != '"') {
                throw error("a quoted string", at >= s.length() ? "the end" : "another character");
            }
            char quote = s.charAt(at++);
            int end = s.indexOf(quote, at);
            if (end < 0 || end - at > 64) {
                throw error("a short quoted string", "an unterminated or long one");
            }
            String out = s.substring(at, end);
            at = end + 1;
            return out;
        }

        private boolean peek(char c) {
            skipSpace();
            return at < s.length() && s.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error(
                        "'" + c + "' at header character " + at, at >= s.length() ? "the end" : "another character");
            }
            at++;
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        private DatasetException error(String expected, String found) {
            return new DatasetException(where + ": expected a .npy header dict with " + expected + ", found " + found);
        }
    }
}
