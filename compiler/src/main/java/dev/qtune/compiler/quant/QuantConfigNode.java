package dev.qtune.compiler.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.qtune.compiler.InputLimits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * One node of a parsed quant config file together with its key path ({@code layers[1].weight_bits};
 * empty at the top level) and the file it came from: typed accessors that fail with a one-line
 * {@link QuantConfigException} "{@code <file>: <key.path>: <what was expected>, but was <found>}".
 * Every YAML config reader of qtune (quant configs, experiment files) reads through it.
 */
public record QuantConfigNode(JsonNode node, String path, String source) {
    /** The key path shown for the top level of the file. */
    public static final String TOP_LEVEL = "(top level)";

    public QuantConfigNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
    }

    public QuantConfigException error(String expected, String found) {
        return new QuantConfigException(source + ": " + shownPath() + ": " + expected + ", but was " + found);
    }

    public QuantConfigException error(String expected) {
        return error(expected, describe(node));
    }

    /** An error at this key path whose text does not take the "but was" form. */
    public QuantConfigException problem(String text) {
        return new QuantConfigException(source + ": " + shownPath() + ": " + text);
    }

    public String shownPath() {
        return path.isEmpty() ? TOP_LEVEL : path;
    }

    public boolean isNull() {
        return node.isNull() || node.isMissingNode();
    }

    /**
     * Checks that this is a mapping whose keys are all in {@code allowed}; the first other key is an
     * error naming it and listing the allowed keys. A null node (a key with no value) counts as empty.
     */
    public void requireMapping(List<String> allowed) {
        if (isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw error("must be a mapping with the keys " + String.join(", ", allowed));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw child(key, node.get(key)).problem("unknown key; allowed keys: " + String.join(", ", allowed));
            }
        }
    }

    /** The value of {@code key} of this mapping, if the key is present. */
    public Optional<QuantConfigNode> get(String key) {
        JsonNode child = node.get(key);
        return child == null ? Optional.empty() : Optional.of(child(key, child));
    }

    /** The value of {@code key} of this mapping; a missing key is an error saying what to give. */
    public QuantConfigNode require(String key, String expected) {
        return get(key).orElseThrow(() -> child(key, MissingNode.getInstance()).error(expected));
    }

    /** The elements of this list (a null node counts as empty). */
    public List<QuantConfigNode> elements(String expected) {
        if (isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error(expected);
        }
        List<QuantConfigNode> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new QuantConfigNode(node.get(i), path + "[" + i + "]", source));
        }
        return out;
    }

    /** An integer in {@code [lo, hi]} or equal to one of {@code extra}; {@code rule} says which, e.g. "in 2..8". */
    public int integer(int lo, int hi, String rule, int... extra) {
        if (!node.isIntegralNumber()) {
            throw error("must be an integer " + rule);
        }
        BigInteger v = node.bigIntegerValue();
        boolean ok = v.compareTo(BigInteger.valueOf(lo)) >= 0 && v.compareTo(BigInteger.valueOf(hi)) <= 0;
        for (int e : extra) {
            ok |= v.equals(BigInteger.valueOf(e));
        }
        if (!ok) {
            throw error("must be " + rule);
        }
        return v.intValueExact();
    }

    /** A finite number (integer or decimal) that satisfies {@code valid}; {@code rule} says how, e.g. "> 0". */
    public double number(DoublePredicate valid, String rule) {
        if (!node.isNumber()) {
            throw error("must be a number " + rule);
        }
        double v = node.doubleValue();
        if (!Double.isFinite(v) || !valid.test(v)) {
            throw error("must be a finite number " + rule);
        }
        return v;
    }

    public boolean bool() {
        if (!node.isBoolean()) {
            throw error("must be true or false");
        }
        return node.booleanValue();
    }

    public String text(String expected) {
        if (!node.isTextual()) {
            throw error(expected);
        }
        return node.textValue();
    }

    /** One of the constants of {@code type}, written in lower case ({@code per_channel}). */
    public <E extends Enum<E>> E enumValue(Class<E> type) {
        String allowed = "must be one of " + String.join(", ", yamlNames(type));
        if (!node.isTextual()) {
            throw error(allowed);
        }
        for (E e : type.getEnumConstants()) {
            if (yamlName(e).equals(node.textValue())) {
                return e;
            }
        }
        throw error(allowed);
    }

    public static String yamlName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> List<String> yamlNames(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(QuantConfigNode::yamlName)
                .toList();
    }

    /** How a found value is shown after "but was": strings quoted (at most 60 characters), mappings and lists by kind. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        if (n.isNull()) {
            return "empty (no value)";
        }
        if (n.isTextual()) {
            // never more than a short excerpt: a file given by mistake (/etc/passwd) is one long scalar
            return "'" + InputLimits.excerpt(n.textValue()) + "'";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return n.asText();
    }

    private QuantConfigNode child(String key, JsonNode value) {
        return new QuantConfigNode(value, path.isEmpty() ? key : path + "." + key, source);
    }
}
