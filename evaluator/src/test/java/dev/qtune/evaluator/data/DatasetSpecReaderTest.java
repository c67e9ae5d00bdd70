package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecReaderTest {
    private static final String SPLITS = "splits:\n  test:\n    images: i.gz\n    labels: l.gz\n";

    @TempDir
    Path tmp;

    private DatasetException fails(String yaml) {
        Path f = TestFiles.text(tmp.resolve("bad.yaml"), yaml);
        return assertThrows(DatasetException.class, () -> DatasetSpecReader.read(f));
    }

    private void assertMessage(DatasetException e, String expected) {
        assertEquals(tmp.resolve("bad.yaml") + ": " + expected, e.getMessage());
    }

    @Test
    void readsDefaults() {
        Path f = TestFiles.text(
                tmp.resolve("ok.yaml"),
                "name: toy\nclasses: 3\n" + SPLITS
                        + "  calib:\n    images: i.gz\n    labels: l.gz\n    offset: 2\n    count: 5\n");
        DatasetSpec s = DatasetSpecReader.read(f);
        assertEquals("toy", s.name());
        assertEquals(Layout.NCHW, s.layout());
        assertEquals(OptionalDouble.empty(), s.scale());
        assertEquals(1.0 / 255.0, s.scaleFor(false));
        assertEquals(1.0, s.scaleFor(true));
        assertEquals(ImageSpec.DEFAULT, s.image());
        assertEquals(List.of(), s.mean());
        assertEquals(List.of("test", "calib"), List.copyOf(s.splits().keySet()));
        assertEquals(
                new SplitSpec("i.gz", "l.gz", 0, OptionalInt.empty()),
                s.splits().get("test"));
        assertEquals(
                new SplitSpec("i.gz", "l.gz", 2, OptionalInt.of(5)), s.splits().get("calib"));
    }

    @Test
    void readsUnlabeledSplitsNumpyKeysAndImageOptions() {
        Path f = TestFiles.text(
                tmp.resolve("ok.yaml"),
                "name: toy\nclass_names: [cat, dog]\nlayout: NHWC\nscale: 1\n"
                        + "image: {channels: 1, resize: 32, center_crop: [28, 24]}\nsplits:\n"
                        + "  calibration:\n    images: calib/\n"
                        + "  test:\n    images: t.npz\n    images_key: x\n    labels: t.npz\n    labels_key: y\n");
        DatasetSpec s = DatasetSpecReader.read(f);
        assertEquals(2, s.classes());
        assertEquals(List.of("cat", "dog"), s.classNames());
        assertEquals(Layout.NHWC, s.layout());
        assertEquals(1.0, s.scaleFor(false));
        assertEquals(new ImageSpec(1, 32, 0, 0, 28, 24), s.image());
        assertEquals(Optional.empty(), s.splits().get("calibration").labels());
        SplitSpec t = s.splits().get("test");
        assertEquals(Optional.of("x"), t.imagesKey());
        assertEquals(Optional.of("y"), t.labelsKey());
        DatasetSpec unlabeled = DatasetSpecReader.read(
                TestFiles.text(tmp.resolve("u.yaml"), "name: u\nsplits:\n  calibration:\n    images: c.npy\n"));
        assertEquals(0, unlabeled.classes());
    }

    @Test
    void unknownTopLevelKeyNamesFileAndKey() {
        DatasetException e = fails("name: toy\nclasses: 3\nclases: 4\n" + SPLITS);
        assertMessage(
                e,
                "clases: unknown key 'clases', allowed keys: class_names, classes, image, layout, mean, name, scale, splits, std");
    }

    @Test
    void unknownNestedKeyNamesKeyPath() {
        DatasetException e = fails("name: toy\nclasses: 3\n" + SPLITS + "    imagez: x\n");
        assertMessage(
                e,
                "splits.test.imagez: unknown key 'imagez', allowed keys: count, images, images_key, labels, labels_key, offset, seen_in_training");
    }

    @Test
    void wrongEnumListsAllowedValues() {
        DatasetException e = fails("name: toy\nclasses: 3\nlayout: NWHC\n" + SPLITS);
        assertMessage(e, "layout: must be one of NCHW, NHWC, but was 'NWHC'");
    }

    @Test
    void ruleViolationNamesKeyPath() {
        DatasetException e = fails("name: toy\nclasses: 3\n" + SPLITS + "    count: 0\n");
        assertMessage(e, "splits.test.count: must be >= 1, but was 0");
        assertMessage(fails("name: toy\nclasses: 0\n" + SPLITS), "classes: must be >= 1, but was 0");
        assertMessage(
                fails("name: toy\n" + SPLITS),
                "classes: must be given (or class_names) since split test has labels," + " but was absent");
        assertMessage(
                fails("name: toy\nclasses: 2\nclass_names: [a, b, c]\n" + SPLITS),
                "classes: must equal the number of class_names (3), but was 2");
        assertMessage(
                fails("name: toy\nclass_names: [a, a]\n" + SPLITS),
                "class_names: must hold distinct non-blank names, but did not");
        assertMessage(
                fails("name: toy\nsplits:\n  test:\n    images: i.npz\n    labels_key: y\n"),
                "splits.test.labels_key: needs labels (an .npz file), but labels was absent");
        assertMessage(
                fails("name: toy\nimage: {channels: 2}\n" + SPLITS.replace("    labels: l.gz\n", "")),
                "image.channels: must be 1 (grayscale) or 3 (RGB), but was 2");
        assertMessage(
                fails("name: toy\nimage: {resize: [0, 3]}\n" + SPLITS.replace("    labels: l.gz\n", "")),
                "image.resize: must be a size (the shorter edge) or [height, width], each in 1..16384, but was [0,3]");
        assertMessage(
                fails("name: toy\nimage: {center_crop: big}\n" + SPLITS.replace("    labels: l.gz\n", "")),
                "image.center_crop: must be a size or [height, width], each in 1..16384, but was 'big'");
        assertMessage(
                fails("name: toy\nclasses: 2\nmean: [0.5]\n" + SPLITS),
                "std: must have as many values as mean (1), but had 0");
    }

    @Test
    void wrongTypeNamesKeyAndValue() {
        DatasetException e = fails("name: toy\nclasses: ten\n" + SPLITS);
        assertMessage(e, "classes: must be an integer, but was 'ten'");
        assertMessage(fails("name: toy\nclasses: [3]\n" + SPLITS), "classes: must be an integer, but was a list");
        assertMessage(
                fails("name: toy\nclasses: 3\nsplits: [a]\n"),
                "splits: must be a mapping (LinkedHashMap), but was a list");
        assertMessage(
                fails("name: toy\nclasses: 3\nsplits:\n  test: x\n"),
                "splits.test: must be a mapping (SplitSpec), but was the string 'x'");
    }

    @Test
    void syntaxErrorAndEmptyFileAreOneLine() {
        DatasetException e = fails("name: 'toy\nclasses: 3\n");
        assertTrue(e.getMessage().startsWith(tmp.resolve("bad.yaml") + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("expected valid YAML"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertTrue(fails("").getMessage().contains("expected a dataset spec"), "empty file");
        assertMessage(
                fails("name: toy\nclasses: 3\n" + SPLITS + "---\nname: other\n"),
                "expected one YAML document, found 2");
        assertMessage(fails("- a\n- b\n"), "(top level): must be a mapping (DatasetSpec), but was a list");
        assertMessage(
                fails("name: toy\nclasses: 3\nmean: [0.1, ~]\nstd: [1, 1]\n" + SPLITS),
                "mean: must hold only numbers, but was [0.1, null]");
    }

    @Test
    void missingSpecFile() {
        Path f = tmp.resolve("none.yaml");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetSpecReader.read(f));
        assertEquals("dataset spec file not found: " + f, e.getMessage());
    }
}
