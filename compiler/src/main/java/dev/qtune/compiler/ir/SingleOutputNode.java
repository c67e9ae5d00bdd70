package dev.qtune.compiler.ir;

import java.util.List;

/** A node with one output value: every op but those that list their outputs (Dropout). */
public interface SingleOutputNode extends Node {
    /** The output value. */
    @Override
    String output();

    @Override
    default List<String> outputs() {
        return List.of(output());
    }
}
