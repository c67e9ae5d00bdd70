package dev.qtune.compiler.ir;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Renames the output of a single-output node record (a component named {@code output}), so passes
 * can insert a node after one whose output is a graph output and keep the graph output's name.
 */
public final class NodeOutputs {
    private NodeOutputs() {}

    public static Node withOutput(Node node, String newOutput) {
        RecordComponent[] parts = node.getClass().getRecordComponents();
        if (parts == null || Arrays.stream(parts).noneMatch(p -> p.getName().equals("output"))) {
            throw new IllegalArgumentException(node.opType() + " node '" + node.name()
                    + "' must be a single-output node record to rename its output");
        }
        try {
            Object[] args = new Object[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                args[i] = parts[i].getName().equals("output")
                        ? newOutput
                        : parts[i].getAccessor().invoke(node);
            }
            Constructor<?> canonical = node.getClass().getDeclaredConstructor(types);
            return (Node) canonical.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + node.opType() + " node '" + node.name() + "'", e);
        }
    }
}
