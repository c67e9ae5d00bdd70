package dev.qtune.evaluator.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset described in YAML (see {@link DatasetSpecReader}): its name, number of classes, the
 * layout of the float batches, how pixels are scaled and normalised, and its named splits.
 * A float input is {@code (pixel * scale - mean[c]) / std[c]}; without {@code mean}/{@code std}
 * it is {@code pixel * scale} (the reference models normalise inside the graph).
 *
 * @param name   dataset name, non-blank
 * @param classes number of classes, >= 1; every label must be below it
 * @param layout layout of filled batches
 * @param scale  factor applied to each unsigned byte pixel, finite and > 0 (YAML default 1/255)
 * @param mean   per-channel mean subtracted after scaling; empty = no normalisation
 * @param std    per-channel divisor, each > 0; empty exactly when {@code mean} is empty
 * @param splits split name to split, at least one, in file order
 */
public record DatasetSpec(String name, int classes, Layout layout, double scale, List<Double> mean,
        List<Double> std, Map<String, SplitSpec> splits) {

    /** The default {@code scale}: unsigned bytes to [0, 1]. */
    public static final double DEFAULT_SCALE = 1.0 / 255.0;

    public DatasetSpec {
        if (name == null || name.isBlank()) {
            throw new SpecValueException("name", "must be a non-blank string, but was " + (name == null ? "absent" : "blank"));
        }
        if (classes < 1) {
            throw new SpecValueException("classes", "must be >= 1, but was " + classes);
        }
        if (layout == null) {
            throw new SpecValueException("layout", "must be given, but was absent");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new SpecValueException("scale", "must be finite and > 0, but was " + scale);
        }
        mean = numbers("mean", mean);
        std = numbers("std", std);
        if (mean.size() != std.size()) {
            throw new SpecValueException("std", "must have as many values as mean (" + mean.size()
                    + "), but had " + std.size());
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new SpecValueException("std", "must hold finite values > 0, but was " + std);
            }
        }
        if (splits == null || splits.isEmpty()) {
            throw new SpecValueException("splits", "must name at least one split, but was " + (splits == null ? "absent" : "empty"));
        }
        for (var e : splits.entrySet()) {
            if (e.getValue() == null) {
                throw new SpecValueException("splits." + e.getKey(), "must be a mapping with images and labels, but was empty");
            }
        }
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    private static List<Double> numbers(String key, List<Double> values) {
        if (values != null && values.contains(null)) {
            throw new SpecValueException(key, "must hold only numbers, but was " + values);
        }
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Whether {@code mean}/{@code std} normalisation is applied after scaling. */
    public boolean normalises() {
        return !mean.isEmpty();
    }

    /** The YAML form: {@code scale} defaults to 1/255, {@code layout} to NCHW. */
    @JsonCreator
    static DatasetSpec fromYaml(@JsonProperty("name") String name, @JsonProperty("classes") Integer classes,
            @JsonProperty("layout") Layout layout, @JsonProperty("scale") Double scale,
            @JsonProperty("mean") List<Double> mean, @JsonProperty("std") List<Double> std,
            @JsonProperty("splits") LinkedHashMap<String, SplitSpec> splits) {
        if (classes == null) {
            throw new SpecValueException("classes", "must be given, but was absent");
        }
        return new DatasetSpec(name, classes, layout == null ? Layout.NCHW : layout,
                scale == null ? DEFAULT_SCALE : scale, mean, std, splits);
    }
}
