package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.AttributeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed access to a node's attributes; a wrong type or a missing required one names the node. */
final class OnnxAttributes {
    private static final int FLOAT = 1;
    private static final int INT = 2;
    private static final int STRING = 3;
    private static final int TENSOR = 4;
    private static final int FLOATS = 6;
    private static final int INTS = 7;

    private final String where;
    private final Map<String, AttributeProto> byName = new HashMap<>();

    OnnxAttributes(NodeProto node, String where) {
        this.where = where;
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long getInt(String name, long defaultValue) {
        return find(name, INT).map(AttributeProto::getI).orElse(defaultValue);
    }

    float getFloat(String name, float defaultValue) {
        return find(name, FLOAT).map(AttributeProto::getF).orElse(defaultValue);
    }

    String getString(String name, String defaultValue) {
        return find(name, STRING).map(a -> a.getS().toStringUtf8()).orElse(defaultValue);
    }

    Optional<long[]> getInts(String name) {
        return find(name, INTS)
                .map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray());
    }

    Optional<float[]> getFloats(String name) {
        return find(name, FLOATS).map(a -> {
            List<Float> fs = a.getFloatsList();
            float[] out = new float[fs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = fs.get(i);
            }
            return out;
        });
    }

    Optional<TensorProto> getTensor(String name) {
        return find(name, TENSOR).map(AttributeProto::getT);
    }

    /** Fails if the node has an attribute whose value differs from the only one qtune supports. */
    void requireIntOrAbsent(String name, long supported) {
        long v = getInt(name, supported);
        if (v != supported) {
            throw new OnnxImportException(where + ": attribute '" + name + "' must be " + supported
                    + " (the only value qtune supports), but was " + v);
        }
    }

    private Optional<AttributeProto> find(String name, int type) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return Optional.empty();
        }
        if (a.hasType() && a.getType() != type) {
            throw new OnnxImportException(where + ": attribute '" + name + "' must have type " + typeName(type)
                    + ", but has type " + typeName(a.getType()));
        }
        return Optional.of(a);
    }

    private static String typeName(int t) {
        return switch (t) {
            case FLOAT -> "FLOAT";
            case INT -> "INT";
            case STRING -> "STRING";
            case TENSOR -> "TENSOR";
            case FLOATS -> "FLOATS";
            case INTS -> "INTS";
            default -> "attribute type " + t;
        };
    }
}
