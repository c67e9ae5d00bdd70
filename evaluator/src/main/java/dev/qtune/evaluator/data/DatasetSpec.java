package dev.qtune.evaluator.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A dataset described in YAML (see {@link DatasetSpecReader}, docs/formats.md): its name, its
 * classes, the layout of its NumPy image arrays, how values are scaled and normalised, how image
 * files are decoded, and its named splits. A float input is {@code (value * scale - mean[c]) / std[c]};
 * without {@code mean}/{@code std} it is {@code value * scale} (the reference models normalise
 * inside the graph).
 *
 * @param name       dataset name, non-blank
 * @param classes    number of classes, >= 1, every label below it; 0 only when no split has labels
 * @param classNames class names, index = label (folder and CSV labels by name); empty = none given
 * @param layout     layout of rank-4 NumPy image arrays (NCHW or NHWC); batches are always NCHW
 * @param scale      factor applied to each value; empty = 1/255 for unsigned bytes, 1 for floats
 * @param mean       per-channel mean subtracted after scaling; empty = no normalisation
 * @param std        per-channel divisor, each > 0; empty exactly when {@code mean} is empty
 * @param image      how image files (folder splits) are decoded, resized and cropped
 * @param splits     split name to split, at least one, in file order
 */
public record DatasetSpec(
        String name,
        int classes,
        @JsonIgnore List<String> classNames,
        Layout layout,
        OptionalDouble scale,
        List<Double> mean,
        List<Double> std,
        ImageSpec image,
        Map<String, SplitSpec> splits) {

    /** The default {@code scale} of unsigned bytes: to [0, 1]. */
    public static final double DEFAULT_SCALE = 1.0 / 255.0;

    public DatasetSpec {
        if (name == null || name.isBlank()) {
            throw new SpecValueException(
                    "name", "must be a non-blank string, but was " + (name == null ? "absent" : "blank"));
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (new HashSet<>(classNames).size() != classNames.size()
                || classNames.stream().anyMatch(String::isBlank)) {
            throw new SpecValueException("class_names", "must hold distinct non-blank names, but did not");
        }
        if (classes < 0 || classes == 0 && !classNames.isEmpty()) {
            throw new SpecValueException("classes", "must be >= 1, but was " + classes);
        }
        if (!classNames.isEmpty() && classes != classNames.size()) {
            throw new SpecValueException(
                    "classes", "must equal the number of class_names (" + classNames.size() + "), but was " + classes);
        }
        if (layout == null) {
            throw new SpecValueException("layout", "must be given, but was absent");
        }
        if (scale == null) {
            scale = OptionalDouble.empty();
        }
        if (scale.isPresent() && (!(scale.getAsDouble() > 0) || Double.isInfinite(scale.getAsDouble()))) {
            throw new SpecValueException("scale", "must be finite and > 0, but was " + scale.getAsDouble());
        }
        mean = numbers("mean", mean);
        std = numbers("std", std);
        if (mean.size() != std.size()) {
            throw new SpecValueException(
                    "std", "must have as many values as mean (" + mean.size() + "), but had " + std.size());
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new SpecValueException("std", "must hold finite values > 0, but was " + std);
            }
        }
        if (image == null) {
            image = ImageSpec.DEFAULT;
        }
        if (splits == null || splits.isEmpty()) {
            throw new SpecValueException(
                    "splits", "must name at least one split, but was " + (splits == null ? "absent" : "empty"));
        }
        for (var e : splits.entrySet()) {
            if (e.getValue() == null) {
                throw new SpecValueException(
                        "splits." + e.getKey(), "must be a mapping with images (and labels), but was empty");
            }
            if (e.getValue().labels().isPresent() && classes == 0) {
                throw new SpecValueException(
                        "classes",
                        "must be given (or class_names) since split " + e.getKey() + " has labels, but was absent");
            }
        }
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    private static List<Double> numbers(String key, List<Double> values) {
        if (values != null && values.stream().anyMatch(Objects::isNull)) {
            throw new SpecValueException(key, "must hold only numbers, but was " + values);
        }
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Whether {@code mean}/{@code std} normalisation is applied after scaling. */
    public boolean normalises() {
        return !mean.isEmpty();
    }

    /** The scale applied to float values ({@code floats}) or unsigned bytes: the spec's, else 1 or 1/255. */
    public double scaleFor(boolean floats) {
        return scale.orElse(floats ? 1.0 : DEFAULT_SCALE);
    }

    /** The YAML form: {@code layout} defaults to NCHW, {@code classes} to the number of class_names. */
    @JsonCreator
    static DatasetSpec fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("classes") Integer classes,
            @JsonProperty("class_names") List<String> classNames,
            @JsonProperty("layout") Layout layout,
            @JsonProperty("scale") Double scale,
            @JsonProperty("mean") List<Double> mean,
            @JsonProperty("std") List<Double> std,
            @JsonProperty("image") ImageSpec image,
            @JsonProperty("splits") LinkedHashMap<String, SplitSpec> splits) {
        if (classNames != null && classNames.contains(null)) {
            throw new SpecValueException("class_names", "must hold only names, but held an empty entry");
        }
        int n = classes != null ? classes : classNames != null ? classNames.size() : 0;
        if (classes != null && classes < 1) {
            throw new SpecValueException("classes", "must be >= 1, but was " + classes);
        }
        return new DatasetSpec(
                name,
                n,
                classNames,
                layout == null ? Layout.NCHW : layout,
                scale == null ? OptionalDouble.empty() : OptionalDouble.of(scale),
                mean,
                std,
                image,
                splits);
    }
}
