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
 * directory).
 */
public final class Datasets {
    /** Names of the built-in datasets, each a YAML resource next to this class. */
    public static final List<String> BUILT_INS = List.of("fashion-mnist", "mnist");

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

    private Datasets() {
    }

    /** Loads one split of a built-in dataset or of a YAML spec file. */
    public static Dataset load(String nameOrPath, String split) {
        Located located = locate(nameOrPath);
        SplitSpec s = located.spec().splits().get(split);
        if (s == null) {
            throw new DatasetException(located.source() + ": unknown split '" + split + "', allowed splits: "
                    + String.join(", ", located.spec().splits().keySet()));
        }
        Path imagesFile = located.baseDir().resolve(s.images());
        Path labelsFile = located.baseDir().resolve(s.labels());
        IdxArray images = IdxReader.readImages(imagesFile);
        IdxArray labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new DatasetException(labelsFile + ": expected " + images.count() + " labels (one per image in "
                    + imagesFile + "), found " + labels.count());
        }
        int total = images.count();
        String where = located.source() + ": splits." + split;
        if (s.offset() >= total) {
            throw new DatasetException(where + ".offset: must be < " + total + " (items in " + imagesFile
                    + "), but was " + s.offset());
        }
        int n = s.count().orElse(total - s.offset());
        if ((long) s.offset() + n > total) {
            throw new DatasetException(where + ": offset + count must be <= " + total + " (items in " + imagesFile
                    + "), but was " + s.offset() + " + " + n);
        }
        byte[] labelBytes = labels.items(s.offset(), n);
        checkLabels(labelBytes, s.offset(), located, labelsFile);
        Dataset d = new Dataset(located.spec(), split, 1, images.dim(1), images.dim(2),
                images.items(s.offset(), n), labelBytes);
        LOG.info("loaded {}: {} images {}x{}x{} from {} (items {}..{})", d, d.count(), d.channels(), d.height(),
                d.width(), imagesFile, s.offset(), s.offset() + n - 1);
        return d;
    }

    /** The spec of a built-in dataset or of a YAML spec file. */
    public static DatasetSpec spec(String nameOrPath) {
        return locate(nameOrPath).spec();
    }

    private static void checkLabels(byte[] labels, int offset, Located located, Path labelsFile) {
        int classes = located.spec().classes();
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= classes) {
                throw new DatasetException(labelsFile + ": expected labels < " + classes + " (classes in "
                        + located.source() + "), found " + label + " at index " + (offset + i));
            }
        }
    }

    private static Located locate(String nameOrPath) {
        if (BUILT_INS.contains(nameOrPath)) {
            String resource = nameOrPath + ".yaml";
            try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in spec " + resource + " must be on the classpath, but was not");
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
    private record Located(DatasetSpec spec, Path baseDir, String source) {
    }
}
