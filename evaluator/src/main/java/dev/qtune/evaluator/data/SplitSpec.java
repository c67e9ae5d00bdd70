package dev.qtune.evaluator.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.OptionalInt;

/**
 * One split of a dataset: an image file and a label file (IDX, raw or gzip) and the slice of
 * items to use. Paths are relative to the spec file's directory (the data root for built-ins)
 * unless absolute.
 *
 * @param images path of the image IDX file
 * @param labels path of the label IDX file
 * @param offset index of the first item used, >= 0
 * @param count number of items used; empty means all items from {@code offset} on
 * @param seenInTraining whether the model was trained on these items (a search scored on them
 *                       chooses on optimistic evidence, and says so)
 */
public record SplitSpec(String images, String labels, int offset, OptionalInt count, boolean seenInTraining) {

    /** A split the spec says nothing about training for. */
    public SplitSpec(String images, String labels, int offset, OptionalInt count) {
        this(images, labels, offset, count, false);
    }

    public SplitSpec {
        if (images == null || images.isBlank()) {
            throw new SpecValueException("images", "must be a file path, but was " + (images == null ? "absent" : "blank"));
        }
        if (labels == null || labels.isBlank()) {
            throw new SpecValueException("labels", "must be a file path, but was " + (labels == null ? "absent" : "blank"));
        }
        if (offset < 0) {
            throw new SpecValueException("offset", "must be >= 0, but was " + offset);
        }
        if (count == null) {
            count = OptionalInt.empty();
        }
        if (count.isPresent() && count.getAsInt() < 1) {
            throw new SpecValueException("count", "must be >= 1, but was " + count.getAsInt());
        }
    }

    /** All items of the two files. */
    public static SplitSpec of(String images, String labels) {
        return new SplitSpec(images, labels, 0, OptionalInt.empty());
    }

    /** The YAML form: {@code offset} defaults to 0, an absent {@code count} means all remaining. */
    @JsonCreator
    static SplitSpec fromYaml(@JsonProperty("images") String images, @JsonProperty("labels") String labels,
            @JsonProperty("offset") Integer offset, @JsonProperty("count") Integer count,
            @JsonProperty("seen_in_training") Boolean seen) {
        return new SplitSpec(images, labels, offset == null ? 0 : offset,
                count == null ? OptionalInt.empty() : OptionalInt.of(count), seen != null && seen);
    }
}
