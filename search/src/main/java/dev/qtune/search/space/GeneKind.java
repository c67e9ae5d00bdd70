package dev.qtune.search.space;

import dev.qtune.compiler.quant.LayerQuantConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The quantization choices a layer's genes make, in gene order within a layer (schedule knobs,
 * named by their {@code Knob}, follow them). Each kind carries its label (the key in experiment
 * files and in "layer.kind"), whether its values have a meaningful order (bit widths) or are
 * categories, the values searched when the experiment does not restrict them (the first is the
 * default), every legal value (the experiment's lists must come from these), and how a layer
 * config states its choice.
 */
public enum GeneKind {
    WEIGHT_BITS(
            "weight_bits",
            true,
            List.of("8", "7", "6", "5", "4"),
            List.of("8", "7", "6", "5", "4", "3", "2"),
            c -> String.valueOf(c.weightBits())),
    ACTIVATION_BITS(
            "activation_bits",
            true,
            List.of("8", "7", "6", "16"),
            List.of("8", "7", "6", "5", "4", "3", "2", "16"),
            c -> String.valueOf(c.activationBits())),
    CALIBRATION(
            "calibration",
            false,
            List.of("kl", "max", "power2", "percentile", "mse"),
            List.of("kl", "max", "power2", "percentile", "mse"),
            c -> lower(c.activationCalibration())),
    GRANULARITY(
            "granularity",
            false,
            List.of("per_channel", "per_tensor"),
            List.of("per_channel", "per_tensor"),
            c -> lower(c.granularity())),
    SKIP("skip", false, List.of("false", "true"), List.of("false", "true"), c -> String.valueOf(c.skip())),
    ACTIVATION_MODE(
            "activation_mode",
            false,
            List.of("symmetric"),
            List.of("symmetric", "asymmetric"),
            c -> lower(c.activationMode()));

    private static final List<String> LABELS =
            Arrays.stream(values()).map(GeneKind::label).toList();

    private final String label;
    private final boolean ordered;
    private final List<String> defaultValues;
    private final List<String> legalValues;
    private final Function<LayerQuantConfig, String> choice;

    GeneKind(
            String label,
            boolean ordered,
            List<String> defaultValues,
            List<String> legalValues,
            Function<LayerQuantConfig, String> choice) {
        if (!legalValues.containsAll(defaultValues)) {
            throw new IllegalArgumentException("the default values of " + label + " must be legal values " + legalValues
                    + ", but were " + defaultValues);
        }
        this.label = label;
        this.ordered = ordered;
        this.defaultValues = List.copyOf(defaultValues);
        this.legalValues = List.copyOf(legalValues);
        this.choice = choice;
    }

    /** The kind's name in experiment files and gene keys, e.g. "weight_bits". */
    public String label() {
        return label;
    }

    /** Whether the values have a meaningful order (bit widths) rather than being categories. */
    public boolean ordered() {
        return ordered;
    }

    /** The values searched when the experiment does not restrict them; the first is the default. */
    public List<String> defaultValues() {
        return defaultValues;
    }

    /** Every value this kind may take. */
    public List<String> legalValues() {
        return legalValues;
    }

    /** A layer config's choice of this kind, as the space's label. */
    public String of(LayerQuantConfig c) {
        return choice.apply(c);
    }

    /** The kind labelled {@code label}, if it is one (a schedule knob's name is not). */
    public static Optional<GeneKind> fromLabel(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
    }

    /** The labels of all kinds, in gene order. */
    public static List<String> labels() {
        return LABELS;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
