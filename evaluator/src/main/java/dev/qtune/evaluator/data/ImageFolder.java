package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A split held as a folder of image files (PNG, JPEG: {@code .png}, {@code .jpg}, {@code .jpeg},
 * any case). Which files, in which order, and their labels:
 * <ul>
 * <li>labels {@value SplitSpec#FOLDERS}: each sub-folder is a class (as torchvision's
 * ImageFolder): its index is the folder name's position in {@code class_names}, or, without them,
 * in the sorted folder names; the images are the class folders' files (searched to any depth) in
 * class order, then in the order of their relative paths;</li>
 * <li>labels from a CSV file with a header naming the columns {@code file} and {@code label}:
 * one row per image in the row order, {@code file} relative to the folder (it may not leave it),
 * {@code label} a class index or a name from {@code class_names};</li>
 * <li>no labels: every image file under the folder, in the order of their relative paths.</li>
 * </ul>
 * Names starting with '.' are skipped. Files are decoded by {@link ImageDecoder} in parallel; all
 * must come out the same size.
 */
final class ImageFolder {
    private static final int MAX_DEPTH = 32;

    /** One image of the split and its label (-1 for none). */
    record Entry(Path file, int label) {}

    private ImageFolder() {}

    /** The images of a folder split, in order, with their labels. */
    static List<Entry> entries(Path folder, SplitSpec s, DatasetSpec spec, Path baseDir, String where) {
        if (s.imagesKey().isPresent()) {
            throw new DatasetException(
                    where + ".images_key: must go with an .npz file, but " + folder + " is a folder");
        }
        if (s.labels().isEmpty()) {
            return images(folder).stream().map(f -> new Entry(f, -1)).toList();
        }
        if (s.labelsKey().isPresent()) {
            throw new DatasetException(where + ".labels_key: must go with an .npz file, but the images are a folder");
        }
        if (s.labelsFromFolders()) {
            return fromFolders(folder, spec, where);
        }
        return LabelCsv.read(baseDir.resolve(s.labels().get()), folder, spec, where);
    }

    private static List<Entry> fromFolders(Path folder, DatasetSpec spec, String where) {
        List<Path> classes = list(folder, 1)
                .filter(Files::isDirectory)
                .sorted(Comparator.comparing(ImageFolder::name))
                .toList();
        if (classes.isEmpty()) {
            throw new DatasetException(folder + ": expected one sub-folder per class (labels: folders), found none");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            String name = name(classes.get(i));
            int label = spec.classNames().isEmpty() ? i : spec.classNames().indexOf(name);
            if (label < 0) {
                throw new DatasetException(classes.get(i) + ": expected a class folder named in class_names, found '"
                        + InputLimits.excerpt(name) + "', which is not");
            }
            if (label >= spec.classes()) {
                throw new DatasetException(folder + ": expected at most " + spec.classes()
                        + " class folders (classes in " + where + "), found " + classes.size());
            }
            for (Path f : images(classes.get(i))) {
                out.add(new Entry(f, label));
            }
        }
        return out;
    }

    /** The image files under {@code dir}, to any depth, in the order of their paths relative to it. */
    static List<Path> images(Path dir) {
        return list(dir, MAX_DEPTH)
                .filter(ImageFolder::isImage)
                .filter(Files::isRegularFile)
                .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                .toList();
    }

    static boolean isImage(Path p) {
        String n = name(p).toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Everything under {@code dir} to {@code depth} levels (links followed, as torchvision), hidden names skipped. */
    private static Stream<Path> list(Path dir, int depth) {
        try (Stream<Path> walk = Files.walk(dir, depth, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(p -> !p.equals(dir) && !hidden(dir.relativize(p))).toList().stream();
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
            throw new DatasetException(dir + ": expected a readable folder of images, found an I/O error: "
                    + (cause instanceof FileSystemLoopException ? "a link loop" : InputLimits.reason(cause)));
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    /**
     * Decodes the entries into one array of images, checking the total against the data limit before
     * it is allocated.
     */
    static ArraySplit.Images decode(List<Entry> entries, ImageSpec spec, Path folder) {
        if (entries.isEmpty()) {
            throw new DatasetException(folder + ": expected image files (.png, .jpg, .jpeg), found none");
        }
        ImageDecoder.Decoded first = ImageDecoder.decode(entries.get(0).file(), spec);
        int size = first.pixels().length;
        long total = (long) size * entries.size();
        if (total > Math.min(InputLimits.dataBytes(), Integer.MAX_VALUE - 8L)) {
            throw new DatasetException(folder + ": expected at most " + InputLimits.dataBytes()
                    + " bytes of decoded images, found " + entries.size() + " images of " + size + " bytes (raise -D"
                    + InputLimits.DATA_BYTES + ")");
        }
        byte[] pixels = new byte[(int) total];
        System.arraycopy(first.pixels(), 0, pixels, 0, size);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        IntStream.range(1, entries.size()).parallel().forEach(i -> {
            if (failure.get() != null) {
                return;
            }
            try {
                ImageDecoder.Decoded d = ImageDecoder.decode(entries.get(i).file(), spec);
                if (d.height() != first.height() || d.width() != first.width()) {
                    throw new DatasetException(
                            entries.get(i).file() + ": expected " + first.height() + "x" + first.width()
                                    + " pixels (the size of " + entries.get(0).file() + "), found " + d.height() + "x"
                                    + d.width()
                                    + "; declare image.resize and image.center_crop in the spec");
                }
                System.arraycopy(d.pixels(), 0, pixels, i * size, size);
            } catch (QtuneException e) {
                failure.compareAndSet(null, e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return new ArraySplit.Images(entries.size(), first.channels(), first.height(), first.width(), pixels, null);
    }

    /** Labels from a CSV file: a header naming {@code file} and {@code label}, then one row per image. */
    static final class LabelCsv {
        private LabelCsv() {}

        static List<Entry> read(Path csv, Path folder, DatasetSpec spec, String where) {
            String text = readText(csv);
            List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new DatasetException(
                        csv + ": expected a header row naming the columns file and label, found an empty file");
            }
            List<String> header = fields(lines.get(0), csv, 1);
            int fileColumn = header.indexOf("file");
            int labelColumn = header.indexOf("label");
            if (fileColumn < 0 || labelColumn < 0) {
                throw new DatasetException(csv + ": expected a header row naming the columns file and label, found "
                        + header.size() + " columns without them");
            }
            Path root = folder.toAbsolutePath().normalize();
            List<Entry> out = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                List<String> row = fields(lines.get(i), csv, i + 1);
                if (row.size() != header.size()) {
                    throw new DatasetException(
                            csv + ": line " + (i + 1) + ": expected " + header.size() + " fields, found " + row.size());
                }
                Path file = root.resolve(row.get(fileColumn)).normalize();
                if (!file.startsWith(root) || row.get(fileColumn).isBlank()) {
                    throw new DatasetException(csv + ": line " + (i + 1) + ": expected a file inside " + folder
                            + ", found a path that leaves it");
                }
                out.add(new Entry(file, label(row.get(labelColumn), spec, csv, i + 1, where)));
            }
            return out;
        }

        private static String readText(Path csv) {
            try {
                byte[] bytes = InputLimits.readFile(
                        csv, "label CSV file", InputLimits.configBytes() * 16, InputLimits.CONFIG_BYTES);
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (QtuneException e) {
                throw new DatasetException(e.getMessage(), e);
            } catch (CharacterCodingException e) {
                throw new DatasetException(csv + ": expected UTF-8 text (a CSV of file,label), found other bytes");
            }
        }

        private static int label(String value, DatasetSpec spec, Path csv, int line, String where) {
            String v = value.strip();
            int byName = spec.classNames().indexOf(v);
            if (byName >= 0) {
                return byName;
            }
            try {
                int label = Integer.parseInt(v);
                if (label >= 0 && label < spec.classes()) {
                    return label;
                }
            } catch (NumberFormatException e) {
                // the error below
            }
            throw new DatasetException(csv + ": line " + line + ": expected a label in [0, " + spec.classes() + ")"
                    + (spec.classNames().isEmpty() ? "" : " or a name in class_names") + " (classes in " + where
                    + "), found '" + InputLimits.excerpt(v) + "'");
        }

        /** The fields of one CSV line: comma-separated, optionally double-quoted ("" inside quotes is one "). */
        static List<String> fields(String line, Path csv, int number) {
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    quoted = true;
                    field.setLength(0);
                } else if (c == ',') {
                    out.add(field.toString().strip());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (quoted) {
                throw new DatasetException(
                        csv + ": line " + number + ": expected a closing quote, found the end of the line");
            }
            out.add(field.toString().strip());
            return out;
        }
    }
}
