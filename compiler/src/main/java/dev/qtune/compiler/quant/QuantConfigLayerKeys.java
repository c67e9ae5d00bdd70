package dev.qtune.compiler.quant;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The per-layer keys of a quant config, shared by {@code defaults} and every {@code layers[i]}
 * entry: reads those present in a mapping into a {@link LayerOverride} (absent keys stay empty).
 */
final class QuantConfigLayerKeys {
    static final String WEIGHT_BITS = "weight_bits";
    static final String ACTIVATION_BITS = "activation_bits";
    static final String WEIGHT_SCALE = "weight_scale";
    static final String GRANULARITY = "granularity";
    static final String ACTIVATION_CALIBRATION = "activation_calibration";
    static final String PERCENTILE = "percentile";
    static final String SKIP = "skip";
    static final String ROUNDING = "rounding";
    static final String ACTIVATION_MODE = "activation_mode";

    /** In the order the docs list them. */
    static final List<String> KEYS = List.of(
            WEIGHT_BITS,
            ACTIVATION_BITS,
            WEIGHT_SCALE,
            GRANULARITY,
            ACTIVATION_CALIBRATION,
            PERCENTILE,
            SKIP,
            ROUNDING,
            ACTIVATION_MODE);

    private QuantConfigLayerKeys() {}

    /** The layer keys of {@code map} (already checked for unknown keys) as an override for {@code pattern}. */
    static LayerOverride read(QuantConfigNode map, LayerPattern pattern) {
        return new LayerOverride(
                pattern,
                optionalInt(map, WEIGHT_BITS, n -> n.integer(2, 8, "in 2..8")),
                optionalInt(map, ACTIVATION_BITS, n -> n.integer(2, 8, "in 2..8 or 16", 16)),
                map.get(WEIGHT_SCALE).map(n -> n.enumValue(WeightScaleMode.class)),
                map.get(GRANULARITY).map(n -> n.enumValue(Granularity.class)),
                map.get(ACTIVATION_CALIBRATION).map(n -> n.enumValue(CalibrationMode.class)),
                optionalDouble(map, PERCENTILE, n -> n.number(p -> p > 0 && p <= 100, "in (0, 100]")),
                map.get(SKIP).map(QuantConfigNode::bool),
                map.get(ROUNDING).map(n -> n.enumValue(Rounding.class)),
                map.get(ACTIVATION_MODE).map(n -> n.enumValue(ActivationMode.class)));
    }

    /** True when {@code o} sets at least one layer key. */
    static boolean setsAnything(LayerOverride o) {
        return o.weightBits().isPresent()
                || o.activationBits().isPresent()
                || o.weightScale().isPresent()
                || o.granularity().isPresent()
                || o.activationCalibration().isPresent()
                || o.percentile().isPresent()
                || o.skip().isPresent()
                || o.rounding().isPresent()
                || o.activationMode().isPresent();
    }

    private static OptionalInt optionalInt(QuantConfigNode map, String key, Function<QuantConfigNode, Integer> read) {
        Optional<QuantConfigNode> n = map.get(key);
        return n.isPresent() ? OptionalInt.of(read.apply(n.get())) : OptionalInt.empty();
    }

    private static OptionalDouble optionalDouble(
            QuantConfigNode map, String key, Function<QuantConfigNode, Double> read) {
        Optional<QuantConfigNode> n = map.get(key);
        return n.isPresent() ? OptionalDouble.of(read.apply(n.get())) : OptionalDouble.empty();
    }
}
