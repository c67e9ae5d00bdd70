package dev.qtune.evaluator.data;

/**
 * A spec value that breaks a rule, thrown by the compact constructors of {@link DatasetSpec} and
 * {@link SplitSpec}. It carries the YAML key so that the spec reader can report the full key path
 * ("mnist.yaml: splits.test.count: must be >= 1, but was 0").
 */
final class SpecValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String rule;

    SpecValueException(String key, String rule) {
        super(key + " " + rule);
        this.key = key;
        this.rule = rule;
    }

    /** The key whose value is wrong, relative to the object being built. */
    String key() {
        return key;
    }

    /** What is wrong: "must ..., but was ...". */
    String rule() {
        return rule;
    }
}
