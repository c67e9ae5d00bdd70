package dev.qtune.compiler.ir;

import java.util.List;

/** Argument checks shared by the node records' compact constructors. */
final class NodeChecks {
    private NodeChecks() {}

    static List<String> inputs(String op, String name, List<String> inputs, int min, int max) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(op + " node name must be non-empty, but was '" + name + "'");
        }
        if (inputs == null || inputs.size() < min || inputs.size() > max) {
            throw new IllegalArgumentException(op + " node '" + name + "' must have " + min
                    + (min == max ? "" : " to " + max) + " inputs, but had " + (inputs == null ? 0 : inputs.size()));
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(op + " node '" + name + "' input " + i + " must not be null");
            }
        }
        return List.copyOf(inputs);
    }

    /**
     * The checks of a single-output node's compact constructor: its name and inputs, then its
     * output; returns the inputs as an immutable list.
     */
    static List<String> node(String op, String name, List<String> inputs, int min, int max, String output) {
        List<String> checked = inputs(op, name, inputs, min, max);
        output(op, name, output);
        return checked;
    }

    /** One zero point per input. */
    static List<Integer> zeroPoints(String op, String name, List<Integer> zeroPoints, int inputs) {
        if (zeroPoints == null || zeroPoints.size() != inputs) {
            throw new IllegalArgumentException(op + " node '" + name + "' must have one input zero point per input ("
                    + inputs + "), but had " + (zeroPoints == null ? 0 : zeroPoints.size()));
        }
        return List.copyOf(zeroPoints);
    }

    static void output(String op, String name, String output) {
        if (output == null || output.isEmpty()) {
            throw new IllegalArgumentException(op + " node '" + name + "' output must be non-empty");
        }
    }

    static void notNull(String op, String name, String what, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + " node '" + name + "' " + what + " must not be null");
        }
    }

    /** A window that is present and has no dilation. */
    static void undilated(String op, String name, Window2d window) {
        notNull(op, name, "window", window);
        if (window.dilationH() != 1 || window.dilationW() != 1) {
            throw new IllegalArgumentException(op + " node '" + name + "' dilations must be 1, but were "
                    + window.dilationH() + "x" + window.dilationW());
        }
    }

    static void positive(String op, String name, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(op + " node '" + name + "' " + what + " must be > 0, but was " + value);
        }
    }
}
