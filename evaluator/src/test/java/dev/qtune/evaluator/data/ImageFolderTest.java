package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image-folder splits: decoding, resizing and cropping as Pillow and torchvision do (expected
 * arrays written by Pillow 9.4 from {@code images/pattern.png}), MNIST test images written as
 * PNGs giving back the IDX route's pixels and labels (class folders, a CSV, or none for
 * calibration), and one-line errors for damaged, oversized and mismatched files.
 */
class ImageFolderTest {
    private static final int N = 120;

    @TempDir
    Path tmp;

    private static Path fixture(String name) {
        try {
            return Path.of(ImageFolderTest.class.getResource("images/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(Runnable r) {
        DatasetException e = assertThrows(DatasetException.class, r::run);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void resizeCropAndGreyMatchPillow() {
        Path png = fixture("pattern.png");
        assertArrayEquals(
                NpyReader.read(fixture("pattern_resize16_crop12.npy")).bytes(),
                ImageDecoder.decode(png, new ImageSpec(3, 16, 0, 0, 12, 12)).pixels(),
                "Resize(16), CenterCrop(12)");
        ImageDecoder.Decoded up = ImageDecoder.decode(png, new ImageSpec(3, 0, 20, 50, 0, 0));
        assertEquals(20, up.height());
        assertEquals(50, up.width());
        assertArrayEquals(NpyReader.read(fixture("pattern_resize_50x20.npy")).bytes(), up.pixels(), "Resize([20, 50])");
        assertArrayEquals(
                NpyReader.read(fixture("pattern_gray.npy")).bytes(),
                ImageDecoder.decode(png, new ImageSpec(1, 0, 0, 0, 0, 0)).pixels(),
                "convert('L')");
        assertArrayEquals(
                NpyReader.read(fixture("pattern_gray_resize_9x30.npy")).bytes(),
                ImageDecoder.decode(png, new ImageSpec(1, 0, 9, 30, 0, 0)).pixels(),
                "convert('L'), Resize([9, 30])");
    }

    @Test
    void mnistAsPngsGivesTheIdxPixelsAndLabels() throws IOException {
        byte[][] images = mnist();
        int[] labels = mnistLabels();
        Path byClass = tmp.resolve("by-class");
        Path flat = tmp.resolve("flat");
        Files.createDirectories(flat);
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i = 0; i < N; i++) {
            String name = String.format("%05d.png", i);
            Path dir = Files.createDirectories(byClass.resolve(Integer.toString(labels[i])));
            png(images[i], dir.resolve(name));
            png(images[i], flat.resolve(name));
            csv.append(name).append(',').append(labels[i]).append('\n');
        }
        Files.writeString(tmp.resolve("labels.csv"), csv);
        Files.writeString(flat.resolve(".DS_Store"), "not an image");
        Files.writeString(flat.resolve("README.txt"), "not an image either");
        Path spec = TestFiles.text(
                tmp.resolve("png.yaml"),
                "name: mnist-png\nclasses: 10\nimage: {channels: 1}\nsplits:\n"
                        + "  folders:\n    images: by-class\n    labels: folders\n"
                        + "  csv:\n    images: flat\n    labels: labels.csv\n    offset: 20\n    count: 100\n"
                        + "  calibration:\n    images: flat\n    count: 50\n");
        Path idxSpec = TestFiles.text(
                tmp.resolve("idx.yaml"),
                "name: mnist-idx\nclasses: 10\nsplits:\n  test:\n    images: "
                        + DataRoot.locate().resolve("mnist/t10k-images-idx3-ubyte.gz") + "\n    labels: "
                        + DataRoot.locate().resolve("mnist/t10k-labels-idx1-ubyte.gz")
                        + "\n    offset: 20\n    count: 100\n");

        Dataset csvSplit = Datasets.load(spec.toString(), "csv");
        Dataset idx = Datasets.load(idxSpec.toString(), "test");
        assertEquals(idx.contentHash(), csvSplit.contentHash(), "CSV order is the file order: the same dataset");
        assertArrayEquals(idx.batch(0, 100), csvSplit.batch(0, 100));

        Dataset folders = Datasets.load(spec.toString(), "folders");
        Integer[] order = IntStream.range(0, N)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> labels[i]).thenComparing(i -> i))
                .toArray(Integer[]::new);
        assertEquals(N, folders.count());
        for (int k = 0; k < N; k++) {
            assertEquals(labels[order[k]], folders.label(k), "class folders in sorted order");
            assertArrayEquals(Arrays.copyOf(floats(images[order[k]]), 784), folders.batch(k, 1), "image " + order[k]);
        }

        Dataset calibration = Datasets.load(spec.toString(), "calibration");
        assertFalse(calibration.labeled());
        assertEquals(50, calibration.count());
        assertArrayEquals(floats(images[49]), calibration.batch(49, 1), "hidden and non-image files skipped");
    }

    @Test
    void classNamesOrderTheClassesAndCsvMayUseThem() throws IOException {
        for (String c : List.of("cat", "dog")) {
            png(
                    new byte[] {(byte) (c.equals("cat") ? 10 : 20)},
                    Files.createDirectories(tmp.resolve("pets").resolve(c)).resolve("a.png"),
                    1,
                    1);
        }
        Files.writeString(tmp.resolve("pets.csv"), "label,file\ndog,dog/a.png\n\"cat\",\"cat/a.png\"\n1,dog/a.png\n");
        Path spec = TestFiles.text(
                tmp.resolve("pets.yaml"),
                "name: pets\nclass_names: [dog, cat]\nimage: {channels: 3}\n"
                        + "scale: 1\nsplits:\n  f:\n    images: pets\n    labels: folders\n  c:\n    images: pets\n    labels: pets.csv\n");
        Dataset f = Datasets.load(spec.toString(), "f");
        assertArrayEquals(new int[] {1, 0}, f.labels(), "cat is class 1 by class_names, sorted first by name");
        assertArrayEquals(new float[] {10, 10, 10}, f.batch(0, 1), "grey to RGB");
        Dataset c = Datasets.load(spec.toString(), "c");
        assertArrayEquals(new int[] {0, 1, 1}, c.labels(), "by name, then by index");
        assertArrayEquals(new float[] {20, 20, 20}, c.batch(2, 1));
    }

    @Test
    void aJpegDecodes() throws IOException {
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        byte[] flat = new byte[256];
        Arrays.fill(flat, (byte) 100);
        grey.getRaster().setDataElements(0, 0, 16, 16, flat);
        Path jpg = Files.createDirectories(tmp.resolve("j")).resolve("flat.JPG");
        assertTrue(ImageIO.write(grey, "jpeg", jpg.toFile()));
        ImageDecoder.Decoded d = ImageDecoder.decode(jpg, new ImageSpec(1, 0, 0, 0, 8, 8));
        assertEquals(64, d.pixels().length);
        for (byte b : d.pixels()) {
            assertTrue(Math.abs((b & 0xff) - 100) <= 1, "a flat JPEG decodes flat: " + (b & 0xff));
        }
        assertEquals(List.of(jpg), ImageFolder.images(tmp.resolve("j")));
    }

    @Test
    void badFilesAreOneLineErrors() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        png(new byte[4], dir.resolve("a.png"), 2, 2);
        png(new byte[9], dir.resolve("b.png"), 3, 3);
        Path spec = TestFiles.text(
                tmp.resolve("bad.yaml"),
                "name: bad\nclasses: 2\nimage: {channels: 1}\nsplits:\n" + "  all:\n    images: bad\n");
        assertEquals(
                dir.resolve("b.png") + ": expected 2x2 pixels (the size of " + dir.resolve("a.png") + "), found 3x3; "
                        + "declare image.resize and image.center_crop in the spec",
                error(() -> Datasets.load(spec.toString(), "all")));
        Path crop = TestFiles.text(
                tmp.resolve("crop.yaml"),
                "name: bad\nimage: {channels: 1, center_crop: 3}\nsplits:\n" + "  all:\n    images: bad\n");
        assertEquals(
                dir.resolve("a.png") + ": expected an image of at least 3x3 for image.center_crop, found 2x2",
                error(() -> Datasets.load(crop.toString(), "all")));

        byte[] good = Files.readAllBytes(dir.resolve("a.png"));
        Path truncated = Files.write(dir.resolve("c.png"), Arrays.copyOf(good, good.length / 2));
        assertTrue(error(() -> ImageDecoder.decode(truncated, ImageSpec.DEFAULT))
                .startsWith(
                        truncated + ": expected a readable PNG or JPEG image, found a damaged or unsupported one ("));
        byte[] huge = good.clone();
        // IHDR's width and height follow the 8-byte signature, the chunk length and the type
        huge[16] = 0;
        huge[17] = 1;
        huge[18] = 0;
        huge[19] = 0;
        huge[20] = 0;
        huge[21] = 1;
        huge[22] = 0;
        huge[23] = 0;
        Path bomb = Files.write(dir.resolve("d.png"), huge);
        assertEquals(
                bomb + ": expected an image of at most 67108864 pixels, found 65536x65536 declared (raise "
                        + "-Dqtune.limit.image.pixels)",
                error(() -> ImageDecoder.decode(bomb, ImageSpec.DEFAULT)));
        Path text = Files.writeString(dir.resolve("e.png"), "not a png");
        assertEquals(
                text + ": expected a PNG or JPEG image, found a file no image reader knows",
                error(() -> ImageDecoder.decode(text, ImageSpec.DEFAULT)));

        Files.writeString(tmp.resolve("escape.csv"), "file,label\n../label.csv,0\n");
        Files.writeString(tmp.resolve("label.csv"), "file,label\na.png,7\n");
        Files.writeString(tmp.resolve("header.csv"), "name,class\na.png,0\n");
        Path csv = TestFiles.text(
                tmp.resolve("csv.yaml"),
                "name: csv\nclasses: 2\nsplits:\n"
                        + "  escape:\n    images: bad\n    labels: escape.csv\n  label:\n    images: bad\n    labels: label.csv\n"
                        + "  header:\n    images: bad\n    labels: header.csv\n  folders:\n    images: bad\n    labels: folders\n");
        assertEquals(
                tmp.resolve("escape.csv") + ": line 2: expected a file inside " + dir + ", found a path that leaves it",
                error(() -> Datasets.load(csv.toString(), "escape")));
        assertEquals(
                tmp.resolve("label.csv") + ": line 2: expected a label in [0, 2) (classes in " + csv
                        + ": splits.label), found '7'",
                error(() -> Datasets.load(csv.toString(), "label")));
        assertEquals(
                tmp.resolve("header.csv")
                        + ": expected a header row naming the columns file and label, found 2 columns "
                        + "without them",
                error(() -> Datasets.load(csv.toString(), "header")));
        assertEquals(
                dir + ": expected one sub-folder per class (labels: folders), found none",
                error(() -> Datasets.load(csv.toString(), "folders")));
    }

    private static byte[][] mnist() {
        byte[] all = IdxReader.readImages(DataRoot.locate().resolve("mnist/t10k-images-idx3-ubyte.gz"))
                .data();
        byte[][] out = new byte[N][];
        for (int i = 0; i < N; i++) {
            out[i] = Arrays.copyOfRange(all, i * 784, (i + 1) * 784);
        }
        return out;
    }

    private static int[] mnistLabels() {
        byte[] all = IdxReader.readLabels(DataRoot.locate().resolve("mnist/t10k-labels-idx1-ubyte.gz"))
                .data();
        return IntStream.range(0, N).map(i -> all[i] & 0xff).toArray();
    }

    private static float[] floats(byte[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((pixels[i] & 0xff) * DatasetSpec.DEFAULT_SCALE);
        }
        return out;
    }

    private static void png(byte[] grey, Path file) {
        png(grey, file, 28, 28);
    }

    private static void png(byte[] grey, Path file, int h, int w) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, w, h, grey);
        try {
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
