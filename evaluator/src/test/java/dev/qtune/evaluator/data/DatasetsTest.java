package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void mnistTestSplit() {
        Dataset d = Datasets.load("mnist", "test");
        assertEquals(10_000, d.count());
        assertEquals(1, d.channels());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9}, Arrays.copyOf(d.labels(), 8));
        // sha256(pixels || labels) computed independently with Python from data/mnist/t10k-*.gz
        assertEquals("c3f9adf9c66efb572b1f9326c3a511b45910c7173b97be66ceceeeeaef6b802b", d.contentHash());
    }

    @Test
    void fashionTestSplit() {
        Dataset d = Datasets.load("fashion-mnist", "test");
        assertEquals(10_000, d.count());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6}, Arrays.copyOf(d.labels(), 8));
        float[] x = d.batch(0, 1);
        assertEquals(784, x.length);
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        // Python: raw pixel sum of image 0 is 33456, / 255 = 131.2
        assertEquals(131.2, sum, 1e-3);
        assertEquals(157 / 255.0, x[300], 1e-6);
        assertEquals(1.0f, x[577]);
    }

    @Test
    void calibrationAndValidationAreDisjointTrainingSlices() {
        Dataset cal = Datasets.load("fashion-mnist", "calibration");
        Dataset val = Datasets.load("fashion-mnist", "train-validation");
        assertEquals(1000, cal.count());
        assertEquals(4000, val.count());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2}, Arrays.copyOf(cal.labels(), 8));
        assertArrayEquals(new int[] {1, 2, 2, 6, 1, 0, 5, 5}, Arrays.copyOf(val.labels(), 8));
        float[] x = new float[2 * 784];
        val.fill(0, 2, x);
        assertEquals(55 / 255.0, x[14 * 28 + 14], 1e-6);
        assertNotEquals(cal.contentHash(), val.contentHash());
    }

    /** Search trials score on images the models never saw: the test set's two halves, disjoint. */
    @Test
    void validationAndHoldoutAreTheTestSetsHalves() {
        Dataset test = Datasets.load("fashion-mnist", "test");
        Dataset val = Datasets.load("fashion-mnist", "validation");
        Dataset holdout = Datasets.load("fashion-mnist", "holdout");
        assertEquals(5000, val.count());
        assertEquals(5000, holdout.count());
        assertArrayEquals(Arrays.copyOf(test.labels(), 5000), val.labels());
        assertArrayEquals(Arrays.copyOfRange(test.labels(), 5000, 10000), holdout.labels());
        assertNotEquals(val.contentHash(), holdout.contentHash());
    }

    @Test
    void unknownSplitListsSplitNames() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("mnist", "train"));
        assertEquals(
                "mnist.yaml: unknown split 'train', allowed splits: test, calibration, validation, holdout, train-validation",
                e.getMessage());
    }

    @Test
    void unknownDatasetSaysWhatWasExpected() {
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("cifar", "test"));
        assertTrue(
                e.getMessage()
                        .startsWith("unknown dataset 'cifar': expected a built-in name (fashion-mnist, mnist)"
                                + " or a YAML spec file, found neither"),
                e.getMessage());
    }

    @Test
    void specFileResolvesRelativeToItsDirectoryAndAppliesMeanStd() {
        TestFiles.images(tmp.resolve("img.gz"), 4, 2, 3);
        TestFiles.labels(tmp.resolve("lab.gz"), 0, 1, 2, 1);
        Path spec = TestFiles.text(
                tmp.resolve("toy.yaml"),
                "name: toy\nclasses: 3\nscale: 1.0\nmean: [2.0]\n"
                        + "std: [4.0]\nsplits:\n  tail:\n    images: img.gz\n    labels: lab.gz\n    offset: 1\n");
        Dataset d = Datasets.load(spec.toString(), "tail");
        assertEquals(3, d.count());
        assertArrayEquals(new int[] {1, 2, 1}, d.labels());
        float[] x = d.batch(1, 1); // item 2 of the file: pixels 2..7
        assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, x);
    }

    @Test
    void labelCountMismatchNamesBothFilesAndCounts() {
        Path img = TestFiles.images(tmp.resolve("img.gz"), 4, 2, 2);
        Path lab = TestFiles.labels(tmp.resolve("lab.gz"), 0, 1, 2);
        Path spec = TestFiles.text(
                tmp.resolve("toy.yaml"),
                "name: toy\nclasses: 3\nsplits:\n  all:\n    images: img.gz\n    labels: lab.gz\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec.toString(), "all"));
        assertEquals(lab + ": expected 4 labels (one per image in " + img + "), found 3", e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileAndClasses() {
        TestFiles.images(tmp.resolve("img.gz"), 2, 2, 2);
        Path lab = TestFiles.labels(tmp.resolve("lab.gz"), 0, 7);
        Path spec = TestFiles.text(
                tmp.resolve("toy.yaml"),
                "name: toy\nclasses: 3\nsplits:\n  all:\n    images: img.gz\n    labels: lab.gz\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec.toString(), "all"));
        assertEquals(lab + ": expected labels < 3 (classes in " + spec + "), found 7 at index 1", e.getMessage());
    }

    @Test
    void sliceBeyondFileNamesKeyPath() {
        Path img = TestFiles.images(tmp.resolve("img.gz"), 4, 2, 2);
        TestFiles.labels(tmp.resolve("lab.gz"), 0, 1, 2, 0);
        Path spec = TestFiles.text(
                tmp.resolve("toy.yaml"),
                "name: toy\nclasses: 3\nsplits:\n"
                        + "  all:\n    images: img.gz\n    labels: lab.gz\n    offset: 2\n    count: 3\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec.toString(), "all"));
        assertEquals(
                spec + ": splits.all: offset + count must be <= 4 (items in " + img + "), but was 2 + 3",
                e.getMessage());
    }

    @Test
    void missingDataFileNamesPath() {
        TestFiles.labels(tmp.resolve("lab.gz"), 0);
        Path spec = TestFiles.text(
                tmp.resolve("toy.yaml"),
                "name: toy\nclasses: 3\nsplits:\n  all:\n    images: gone.gz\n    labels: lab.gz\n");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load(spec.toString(), "all"));
        assertEquals("dataset file not found: " + tmp.resolve("gone.gz"), e.getMessage());
    }

    @Test
    void rangeChecksOnAccess() {
        Dataset d = Datasets.load("mnist", "calibration");
        assertThrows(IndexOutOfBoundsException.class, () -> d.batch(999, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> d.label(1000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.fill(0, 2, new float[784]));
        assertEquals("dst must hold at least 1568 floats, but was 784", e.getMessage());
    }
}
