package dev.qtune.compiler.ir;

import java.util.Objects;

/** A named, typed graph input or output. */
public record ValueInfo(String name, TensorType type) {
    public ValueInfo {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("value name must be non-empty, but was '" + name + "'");
        }
        Objects.requireNonNull(type, "type of " + name);
    }
}
