package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset splits from NumPy arrays: the MNIST test images written as an .npz load as the same
 * dataset as the IDX route (same content hash, same batches); float arrays are taken as they are
 * (scale 1 unless given) and NHWC arrays are transposed; a split without labels loads, and asking
 * it for labels says what to do; bad files are one-line errors naming the file and the key path.
 */
class NumpyDatasetTest {
    @TempDir
    Path tmp;

    private static String error(Runnable r) {
        DatasetException e = assertThrows(DatasetException.class, r::run);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void mnistAsNpzIsTheSameDatasetAsItsIdxFiles() {
        Path root = DataRoot.locate();
        IdxArray images = IdxReader.readImages(root.resolve("mnist/t10k-images-idx3-ubyte.gz"));
        IdxArray labels = IdxReader.readLabels(root.resolve("mnist/t10k-labels-idx1-ubyte.gz"));
        int n = 600;
        byte[] pixels = Arrays.copyOf(images.data(), n * 784);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.data()[i] & 0xff;
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, Object> arrays = new LinkedHashMap<>();
        shapes.put("x_test", new int[] {n, 28, 28});
        arrays.put("x_test", pixels);
        shapes.put("y_test", new int[] {n});
        arrays.put("y_test", y);
        NpyWriter.writeNpz(tmp.resolve("mnist.npz"), shapes, arrays);
        Path spec = TestFiles.text(
                tmp.resolve("mnist-npz.yaml"),
                "name: mnist-npz\nclasses: 10\nsplits:\n"
                        + "  validation:\n    images: mnist.npz\n    images_key: x_test\n    labels: mnist.npz\n"
                        + "    labels_key: y_test\n    offset: 100\n    count: 500\n");

        Dataset npz = Datasets.load(spec.toString(), "validation");
        Path idxSpec = TestFiles.text(
                tmp.resolve("mnist-idx.yaml"),
                "name: mnist-idx\nclasses: 10\nsplits:\n"
                        + "  validation:\n    images: " + root.resolve("mnist/t10k-images-idx3-ubyte.gz") + "\n"
                        + "    labels: " + root.resolve("mnist/t10k-labels-idx1-ubyte.gz")
                        + "\n    offset: 100\n    count: 500\n");
        Dataset idx = Datasets.load(idxSpec.toString(), "validation");
        assertEquals(500, npz.count());
        assertEquals(idx.contentHash(), npz.contentHash(), "same pixels and labels");
        assertArrayEquals(idx.batch(0, 500), npz.batch(0, 500));
        assertArrayEquals(idx.labels(), npz.labels());
        assertFalse(npz.floats());
    }

    @Test
    void floatArraysAreTakenAsTheyAreAndNhwcIsTransposed() {
        // two images, 2 x 2 pixels, 3 channels, NHWC: value = 100 * image + 10 * pixel + channel
        float[] nhwc = new float[2 * 2 * 2 * 3];
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 4; p++) {
                for (int c = 0; c < 3; c++) {
                    nhwc[(i * 4 + p) * 3 + c] = 100 * i + 10 * p + c;
                }
            }
        }
        NpyWriter.write(tmp.resolve("x.npy"), new int[] {2, 2, 2, 3}, nhwc);
        NpyWriter.write(tmp.resolve("y.npy"), new int[] {2, 1}, new long[] {1, 0});
        Path spec = TestFiles.text(
                tmp.resolve("rgb.yaml"),
                "name: rgb\nclasses: 2\nlayout: NHWC\nsplits:\n" + "  test:\n    images: x.npy\n    labels: y.npy\n");
        Dataset d = Datasets.load(spec.toString(), "test");
        assertTrue(d.floats());
        assertEquals(3, d.channels());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertArrayEquals(
                new float[] {100, 110, 120, 130, 101, 111, 121, 131, 102, 112, 122, 132},
                d.batch(1, 1),
                "NCHW, values unscaled");

        Path normalised = TestFiles.text(
                tmp.resolve("norm.yaml"),
                "name: rgb\nclasses: 2\nlayout: NHWC\nscale: 0.5\n"
                        + "mean: [0, 1, 2]\nstd: [1, 2, 4]\nsplits:\n  test:\n    images: x.npy\n    labels: y.npy\n");
        float[] x = Datasets.load(normalised.toString(), "test").batch(0, 1);
        assertEquals(0f, x[0]);
        assertEquals((0.5f * 32 - 2) / 4, x[11], "channel 2 of pixel 3: 32");
    }

    @Test
    void anUnlabeledSplitLoadsAndSaysWhatLabelsAreFor() {
        NpyWriter.write(tmp.resolve("calib.npy"), new int[] {3, 4}, new byte[12]);
        Path spec = TestFiles.text(tmp.resolve("u.yaml"), "name: u\nsplits:\n  calibration:\n    images: calib.npy\n");
        Dataset d = Datasets.load(spec.toString(), "calibration");
        assertFalse(d.labeled());
        assertEquals(3, d.count());
        assertEquals(4, d.imageSize());
        assertEquals(
                "u/calibration: expected labels (top-1 and top-k need them), found an unlabeled split; give the "
                        + "split labels, or use a label-free metric (agreement, or a command)",
                error(() -> d.label(0)));
    }

    @Test
    void badArraysAreOneLineErrors() {
        NpyWriter.write(tmp.resolve("x.npy"), new int[] {2, 2}, new byte[4]);
        NpyWriter.write(tmp.resolve("f.npy"), new int[] {2}, new float[] {0, 1});
        NpyWriter.write(tmp.resolve("i.npy"), new int[] {2, 2}, new long[4]);
        NpyWriter.write(tmp.resolve("big.npy"), new int[] {2}, new long[] {0, 12});
        NpyWriter.write(tmp.resolve("r5.npy"), new int[] {1, 1, 1, 1, 2}, new byte[2]);
        TestFiles.text(tmp.resolve("notes.txt"), "these are not images");
        String head = "name: t\nclasses: 10\nsplits:\n  test:\n";
        assertEquals(
                spec(head + "    images: x.npy\n    images_key: x\n") + ": splits.test.images_key: must go with an "
                        + ".npz file, but " + tmp.resolve("x.npy") + " is a .npy file",
                error(() -> load(head + "    images: x.npy\n    images_key: x\n")));
        assertEquals(
                tmp.resolve("f.npy") + ": expected integer labels, found float32",
                error(() -> load(head + "    images: x.npy\n    labels: f.npy\n")));
        assertEquals(
                tmp.resolve("i.npy") + ": expected uint8, float32 or float64 images, found int64",
                error(() -> load(head + "    images: i.npy\n")));
        assertEquals(
                tmp.resolve("big.npy") + ": expected labels < 10 (classes in " + tmp.resolve("t.yaml")
                        + "), found 12 at index 1",
                error(() -> load(head + "    images: x.npy\n    labels: big.npy\n")));
        assertEquals(
                tmp.resolve("r5.npy") + ": expected images of rank 2 ([N, features]), 3 ([N, H, W]) or 4 ([N, C, H, W] "
                        + "or [N, H, W, C] as layout says), found rank 5",
                error(() -> load(head + "    images: r5.npy\n")));
        assertEquals(
                tmp.resolve("notes.txt") + ": expected an IDX, .npy or .npz file (the images of "
                        + tmp.resolve("t.yaml") + ": splits.test), found a file of another kind",
                error(() -> load(head + "    images: notes.txt\n")));
        assertEquals(
                tmp.resolve("t.yaml") + ": splits.test.labels: 'folders' needs a folder of images, but "
                        + tmp.resolve("x.npy") + " is a file",
                error(() -> load(head + "    images: x.npy\n    labels: folders\n")));
    }

    private Path spec(String yaml) {
        return TestFiles.text(tmp.resolve("t.yaml"), yaml);
    }

    private Dataset load(String yaml) {
        return Datasets.load(spec(yaml).toString(), "test");
    }
}
