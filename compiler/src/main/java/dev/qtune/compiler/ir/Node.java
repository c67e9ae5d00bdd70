package dev.qtune.compiler.ir;

import java.util.List;

/**
 * One operation of a {@link Graph}. Nodes refer to values by name (SSA: each value has exactly one
 * producer, a graph input or an initializer). An absent optional input is the empty string, as in
 * ONNX. Each op is one record implementing this interface; per-op behaviour (type inference,
 * interpretation, later annotation and lowering) lives in rule tables keyed by the record class.
 */
public interface Node {
    /** Unique, non-empty node name. */
    String name();

    /** The ONNX op type this node stands for, e.g. "Conv". */
    String opType();

    List<String> inputs();

    List<String> outputs();

    /** The same node reading other values (same arity). */
    Node withInputs(List<String> newInputs);

    /** The single output of a single-output node. */
    default String output() {
        List<String> outs = outputs();
        if (outs.size() != 1) {
            throw new IllegalStateException(opType() + " node '" + name() + "' has " + outs.size() + " outputs");
        }
        return outs.get(0);
    }
}
