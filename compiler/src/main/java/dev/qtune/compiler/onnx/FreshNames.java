package dev.qtune.compiler.onnx;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The names an ONNX graph being written has taken (values, nodes, initializers), and fresh ones for what it adds. */
final class FreshNames {
    private final Set<String> taken = new HashSet<>();

    void take(String name) {
        taken.add(name);
    }

    void takeAll(Collection<String> names) {
        taken.addAll(names);
    }

    /** A name not taken yet, now taken: {@code base}, else base_2, base_3, ... */
    String fresh(String base) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
