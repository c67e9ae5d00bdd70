package dev.qtune.evaluator.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads dataset splits by built-in name ({@code mnist}, {@code fashion-mnist}, files under the
 * {@link DataRoot}) or by the path of a YAML {@link DatasetSpec} file (files relative to its
 * directory): IDX, NumPy .npy/.npz arrays, or folders of PNG/JPEG images.
 */
public final class Datasets {
    /** Names of the built-in datasets, each a YAML resource next to this class. */
    public static final List<String> BUILT_INS = List.of("fashion-mnist", "mnist");

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

    private Datasets() {}

    /** Loads one split of a built-in dataset or of a YAML spec file. */
    public static Dataset load(String nameOrPath, String split) {
        Located located = locate(nameOrPath);
        SplitSpec s = located.spec().splits().get(split);
        if (s == null) {
            throw new DatasetException(located.source() + ": unknown split '" + split + "', allowed splits: "
                    + String.join(", ", located.spec().splits().keySet()));
        }
        String where = located.source() + ": splits." + split;
        Path imagesFile = located.baseDir().resolve(s.images());
        Dataset d = Files.isDirectory(imagesFile)
                ? loadFolder(located, split, s, imagesFile, where)
                : loadArrays(located, split, s, imagesFile, where);
        LOG.info(
                "loaded {}: {} images {}x{}x{} from {} (items {}..{})",
                d,
                d.count(),
                d.channels(),
                d.height(),
                d.width(),
                imagesFile,
                s.offset(),
                s.offset() + d.count() - 1);
        return d;
    }

    private static Dataset loadArrays(Located located, String split, SplitSpec s, Path imagesFile, String where) {
        DatasetSpec spec = located.spec();
        if (s.labelsFromFolders()) {
            throw new DatasetException(
                    where + ".labels: 'folders' needs a folder of images, but " + imagesFile + " is a file");
        }
        ArraySplit.Images images = ArraySplit.images(imagesFile, s.imagesKey(), spec.layout(), where);
        int total = images.count();
        ArraySplit.Labels labels = null;
        if (s.labels().isPresent()) {
            Path labelsFile = located.baseDir().resolve(s.labels().get());
            labels = ArraySplit.labels(labelsFile, s.labelsKey(), where);
            if (labels.values().length != total) {
                throw new DatasetException(labels.name() + ": expected " + total + " labels (one per image in "
                        + imagesFile + "), found " + labels.values().length);
            }
        }
        int n = slice(s, total, imagesFile, where);
        int[] labelInts =
                labels == null ? null : ArraySplit.slice(labels, s.offset(), n, spec.classes(), located.source());
        ArraySplit.Images part = images.slice(s.offset(), n);
        return part.bytes() != null
                ? Dataset.ofBytes(spec, split, part.channels(), part.height(), part.width(), part.bytes(), labelInts)
                : Dataset.ofFloats(spec, split, part.channels(), part.height(), part.width(), part.floats(), labelInts);
    }

    private static Dataset loadFolder(Located located, String split, SplitSpec s, Path folder, String where) {
        DatasetSpec spec = located.spec();
        List<ImageFolder.Entry> entries = ImageFolder.entries(folder, s, spec, located.baseDir(), where);
        if (entries.isEmpty()) {
            throw new DatasetException(
                    folder + ": expected image files (.png, .jpg, .jpeg) for " + where + ", found none");
        }
        int n = slice(s, entries.size(), folder, where);
        List<ImageFolder.Entry> part = entries.subList(s.offset(), s.offset() + n);
        ArraySplit.Images images = ImageFolder.decode(part, spec.image(), folder);
        int[] labels = s.labels().isEmpty()
                ? null
                : part.stream().mapToInt(ImageFolder.Entry::label).toArray();
        return Dataset.ofBytes(spec, split, images.channels(), images.height(), images.width(), images.bytes(), labels);
    }

    /** The number of items {@code s} takes from {@code total}, checked against its offset and count. */
    static int slice(SplitSpec s, int total, Path imagesFile, String where) {
        if (s.offset() >= total) {
            throw new DatasetException(
                    where + ".offset: must be < " + total + " (items in " + imagesFile + "), but was " + s.offset());
        }
        int n = s.count().orElse(total - s.offset());
        if ((long) s.offset() + n > total) {
            throw new DatasetException(where + ": offset + count must be <= " + total + " (items in " + imagesFile
                    + "), but was " + s.offset() + " + " + n);
        }
        return n;
    }

    /** The spec of a built-in dataset or of a YAML spec file. */
    public static DatasetSpec spec(String nameOrPath) {
        return locate(nameOrPath).spec();
    }

    private static Located locate(String nameOrPath) {
        if (BUILT_INS.contains(nameOrPath)) {
            String resource = nameOrPath + ".yaml";
            try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "built-in spec " + resource + " must be on the classpath, but was not");
                }
                return new Located(DatasetSpecReader.read(in, resource), DataRoot.locate(), resource);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path file = Paths.get(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("unknown dataset '" + nameOrPath + "': expected a built-in name ("
                    + String.join(", ", BUILT_INS) + ") or a YAML spec file, found neither (no file "
                    + file.toAbsolutePath() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new Located(DatasetSpecReader.read(file), dir, file.toString());
    }

    /** A spec with the directory its file paths resolve against and its name for messages. */
    private record Located(DatasetSpec spec, Path baseDir, String source) {}
}
