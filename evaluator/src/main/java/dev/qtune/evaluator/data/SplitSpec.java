package dev.qtune.evaluator.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One split of a dataset: where its images and labels are, and the slice of items to use. Paths
 * are relative to the spec file's directory (the data root for built-ins) unless absolute.
 *
 * <p>{@code images} is an IDX file (raw or gzip), a {@code .npy} file, an {@code .npz} file (the
 * array {@code imagesKey}), or a folder of PNG/JPEG files. {@code labels} is, for arrays, an IDX,
 * {@code .npy} or {@code .npz} file (the array {@code labelsKey}); for a folder, {@value #FOLDERS}
 * (each sub-folder is a class) or a CSV file with columns {@code file} and {@code label}. Without
 * labels the split is unlabeled (calibration, or a label-free metric). A file's kind is told by
 * its first bytes, not its name.
 *
 * @param images    path of the images: a file or a folder
 * @param imagesKey the array of an .npz images file; empty = its only array
 * @param labels    path of the labels, or {@value #FOLDERS}; empty = unlabeled
 * @param labelsKey the array of an .npz labels file; empty = its only array
 * @param offset    index of the first item used, >= 0
 * @param count     number of items used; empty means all items from {@code offset} on
 * @param seenInTraining whether the model was trained on these items (a search scored on them
 *                       chooses on optimistic evidence, and says so)
 */
public record SplitSpec(
        String images,
        Optional<String> imagesKey,
        Optional<String> labels,
        Optional<String> labelsKey,
        int offset,
        OptionalInt count,
        boolean seenInTraining) {
    /** The {@code labels} value that takes each image's label from its sub-folder's name. */
    public static final String FOLDERS = "folders";

    /** A split of an image file and a label file that the spec says nothing about training for. */
    public SplitSpec(String images, String labels, int offset, OptionalInt count) {
        this(images, Optional.empty(), Optional.ofNullable(labels), Optional.empty(), offset, count, false);
    }

    public SplitSpec {
        if (images == null || images.isBlank()) {
            throw new SpecValueException(
                    "images", "must be a file or folder path, but was " + (images == null ? "absent" : "blank"));
        }
        imagesKey = blankless("images_key", imagesKey);
        labels = blankless("labels", labels);
        labelsKey = blankless("labels_key", labelsKey);
        if (labelsKey.isPresent() && labels.isEmpty()) {
            throw new SpecValueException("labels_key", "needs labels (an .npz file), but labels was absent");
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

    private static Optional<String> blankless(String key, Optional<String> v) {
        if (v == null) {
            return Optional.empty();
        }
        if (v.isPresent() && v.get().isBlank()) {
            throw new SpecValueException(key, "must not be blank, but was");
        }
        return v;
    }

    /** All items of the two files. */
    public static SplitSpec of(String images, String labels) {
        return new SplitSpec(images, labels, 0, OptionalInt.empty());
    }

    /** Whether labels come from the images' sub-folder names. */
    public boolean labelsFromFolders() {
        return labels.filter(FOLDERS::equals).isPresent();
    }

    /** The YAML form: {@code offset} defaults to 0, an absent {@code count} means all remaining. */
    @JsonCreator
    static SplitSpec fromYaml(
            @JsonProperty("images") String images,
            @JsonProperty("images_key") String imagesKey,
            @JsonProperty("labels") String labels,
            @JsonProperty("labels_key") String labelsKey,
            @JsonProperty("offset") Integer offset,
            @JsonProperty("count") Integer count,
            @JsonProperty("seen_in_training") Boolean seen) {
        return new SplitSpec(
                images,
                Optional.ofNullable(imagesKey),
                Optional.ofNullable(labels),
                Optional.ofNullable(labelsKey),
                offset == null ? 0 : offset,
                count == null ? OptionalInt.empty() : OptionalInt.of(count),
                seen != null && seen);
    }
}
