package dev.qtune.compiler.ir;

/**
 * A single-output node that reads one data value, its first input, and (maybe) constants after it:
 * activations, pools, shape ops, quantize points, layers.
 */
public interface DataNode extends SingleOutputNode {
    /** The data value the node reads: its first input. */
    default String input() {
        return inputs().get(0);
    }
}
