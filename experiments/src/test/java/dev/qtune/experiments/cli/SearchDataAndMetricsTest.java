package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.evaluator.data.IdxReader;
import dev.qtune.evaluator.data.NpyWriter;
import dev.qtune.experiments.run.RunDirectory;
import dev.qtune.experiments.testing.TinyExperiment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's acceptance for datasets and metrics, on mlp_mnist with native code for this host:
 * <ul>
 * <li>the same MNIST images as an .npz (unlabeled calibration array, labelled validation arrays)
 * and as a folder of PNGs (unlabeled calibration folder, class folders for validation) give, trial
 * for trial and for the fp32 model, the same top-1 as the built-in IDX dataset, in a search and in
 * {@code eval};</li>
 * <li>a search scored by agreement with the fp32 model runs on images without labels (and one
 * scored by top-1 is refused there);</li>
 * <li>a search whose accuracy is an external command (a Java program reading outputs.npy and
 * labels.npy, run by this JVM's own {@code java}) runs end to end, the command's number being
 * each trial's accuracy;</li>
 * <li>a command that fails makes every trial FAILED with its message, and the search ends
 * normally.</li>
 * </ul>
 */
class SearchDataAndMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALIBRATION = 200;
    private static final int VALIDATION = 200;
    private static final Path MNIST = TinyExperiment.ROOT.resolve("data").resolve("mnist");

    /** Prints top-1 from the .npy files given as arguments (float32 [n, classes], int64 [n]). */
    static final String TOP1 = """
            import java.nio.*;
            import java.nio.file.*;
            public class Top1 {
                static ByteBuffer data(String file) throws Exception {
                    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN);
                    int header = b.getShort(8) & 0xffff;
                    return b.position(10 + header).slice().order(ByteOrder.LITTLE_ENDIAN);
                }
                public static void main(String[] args) throws Exception {
                    FloatBuffer out = data(args[0]).asFloatBuffer();
                    LongBuffer labels = data(args[1]).asLongBuffer();
                    int n = labels.remaining();
                    int classes = out.remaining() / n;
                    int correct = 0;
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (out.get(i * classes + c) > out.get(i * classes + best)) {
                                best = c;
                            }
                        }
                        correct += best == labels.get(i) ? 1 : 0;
                    }
                    System.out.println((double) correct / n);
                }
            }
            """;

    private static final String FAIL = """
            public class Fail {
                public static void main(String[] args) {
                    System.err.println("reading " + args[0]);
                    System.err.println("boom: no column named logits");
                    System.exit(3);
                }
            }
            """;

    @TempDir
    static Path data;

    @TempDir
    Path tmp;

    private static byte[] calibration;
    private static byte[] validation;
    private static int[] labels;

    @BeforeAll
    static void writeDatasets() throws IOException {
        calibration = Arrays.copyOf(
                IdxReader.readImages(MNIST.resolve("train5k-images-idx3-ubyte.gz"))
                        .data(),
                CALIBRATION * 784);
        validation = Arrays.copyOf(
                IdxReader.readImages(MNIST.resolve("t10k-images-idx3-ubyte.gz")).data(), VALIDATION * 784);
        byte[] l =
                IdxReader.readLabels(MNIST.resolve("t10k-labels-idx1-ubyte.gz")).data();
        labels = new int[VALIDATION];
        long[] longs = new long[VALIDATION];
        for (int i = 0; i < VALIDATION; i++) {
            labels[i] = l[i] & 0xff;
            longs[i] = labels[i];
        }
        NpyWriter.write(data.resolve("calibration.npy"), new int[] {CALIBRATION, 28, 28}, calibration);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, Object> arrays = new LinkedHashMap<>();
        shapes.put("x", new int[] {VALIDATION, 1, 28, 28});
        arrays.put("x", validation);
        shapes.put("y", new int[] {VALIDATION});
        arrays.put("y", longs);
        NpyWriter.writeNpz(data.resolve("test.npz"), shapes, arrays);
        Files.writeString(
                data.resolve("npz.yaml"),
                "name: mnist-npz\nclasses: 10\nsplits:\n"
                        + "  calibration:\n    images: calibration.npy\n"
                        + "  validation:\n    images: test.npz\n    images_key: x\n    labels: test.npz\n    labels_key: y\n"
                        + "  test:\n    images: test.npz\n    images_key: x\n    labels: test.npz\n    labels_key: y\n");

        for (int i = 0; i < CALIBRATION; i++) {
            png(
                    Arrays.copyOfRange(calibration, i * 784, (i + 1) * 784),
                    Files.createDirectories(data.resolve("png/calibration")).resolve(String.format("%05d.png", i)));
        }
        for (int i = 0; i < VALIDATION; i++) {
            png(
                    Arrays.copyOfRange(validation, i * 784, (i + 1) * 784),
                    Files.createDirectories(data.resolve("png/test/" + labels[i]))
                            .resolve(String.format("%05d.png", i)));
        }
        Files.writeString(
                data.resolve("png.yaml"),
                "name: mnist-png\nclasses: 10\nimage: {channels: 1}\nsplits:\n"
                        + "  calibration:\n    images: png/calibration\n"
                        + "  validation:\n    images: png/test\n    labels: folders\n"
                        + "  test:\n    images: png/test\n    labels: folders\n");
    }

    @Test
    void npzAndImageFoldersGiveTheIdxRoutesAccuracy() throws IOException {
        Map<String, Double> idx = search("idx", "mnist", "");
        Map<String, Double> npz = search("npz", data.resolve("npz.yaml").toString(), "");
        Map<String, Double> png = search("png", data.resolve("png.yaml").toString(), "");
        assertEquals(idx, npz, "top-1 per config (and fp32) with the .npz dataset");
        assertEquals(idx, png, "top-1 per config (and fp32) with the image folders");
        assertTrue(idx.size() >= 3, "fp32 and two trials: " + idx);

        double evalIdx = evalTop1("mnist");
        assertEquals(evalIdx, evalTop1(data.resolve("npz.yaml").toString()), "eval on the .npz split");
        assertEquals(evalIdx, evalTop1(data.resolve("png.yaml").toString()), "eval on the image folders");
        assertEquals(idx.get("fp32"), evalIdx, "eval and search agree on the fp32 model");
    }

    @Test
    void agreementScoresASearchOnUnlabeledImages() throws IOException {
        Files.writeString(
                data.resolve("unlabeled.yaml"),
                "name: mnist-unlabeled\nsplits:\n"
                        + "  calibration:\n    images: calibration.npy\n"
                        + "  validation:\n    images: test.npz\n    images_key: x\n"
                        + "  test:\n    images: test.npz\n    images_key: x\n");
        Path run = tmp.resolve("run");
        Path exp = TinyExperiment.write(
                tmp,
                "agreement",
                2,
                2,
                0,
                5,
                "executor: {type: local, workers: 1}",
                "metric: agreement",
                "constraints: {max_drop: {absolute: 5}}");
        Files.writeString(
                exp,
                Files.readString(exp)
                        .replace(
                                "dataset: {name: mnist,", "dataset: {name: '" + data.resolve("unlabeled.yaml") + "',"));
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());
        for (JsonNode t : log(run)) {
            assertEquals("OK", t.path("status").asText(), t.toString());
            JsonNode m = t.path("metrics");
            assertFalse(m.has("top1"), "no labels, no top-1: " + m);
            assertEquals(m.path("agreement").asDouble(), m.path("accuracy").asDouble(), 1e-12);
            assertTrue(m.path("accuracy").asDouble() > 0.9, "an 8-bit mlp agrees with fp32: " + m);
        }
        JsonNode pareto = JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        assertEquals(1.0, pareto.path("fp32_accuracy").asDouble());
        assertFalse(pareto.has("fp32_top1"));
        assertEquals(
                0.95, pareto.path("constraint").path("min_accuracy").asDouble(), 1e-12, "5 points below fp32's 100%");

        Path top1 = TinyExperiment.write(tmp, "needs-labels", 2, 2, 0, 5, "executor: {type: local, workers: 1}");
        Files.writeString(
                top1,
                Files.readString(top1)
                        .replace(
                                "dataset: {name: mnist,", "dataset: {name: '" + data.resolve("unlabeled.yaml") + "',"));
        CliRun refused = CliRun.of(
                "search", top1.toString(), "--out", tmp.resolve("refused").toString());
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains(": metric top1 needs labels, but the validation split of "), refused.err());
    }

    @Test
    void aCommandMetricDrivesTheSearch() throws IOException {
        Path script = Files.writeString(tmp.resolve("Top1.java"), TOP1);
        Path run = tmp.resolve("run");
        Path exp = TinyExperiment.write(
                tmp,
                "command-metric",
                2,
                2,
                0,
                5,
                "executor: {type: local, workers: 1}",
                "metric: {command: ['" + java() + "', Top1.java], timeout_s: 120, name: my_top1}",
                "constraints: {max_drop: {absolute: 0.5}}");
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());
        assertTrue(Files.exists(script));
        List<JsonNode> trials = log(run);
        assertEquals(2, trials.size());
        for (JsonNode t : trials) {
            assertEquals("OK", t.path("status").asText(), t.toString());
            JsonNode m = t.path("metrics");
            assertEquals(
                    m.path("top1").asDouble(),
                    m.path("accuracy").asDouble(),
                    1e-12,
                    "the command computed top-1 from outputs.npy and labels.npy: " + m);
        }
        JsonNode pareto = JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        assertEquals("my_top1", pareto.path("metric").path("name").asText());
        assertFalse(pareto.path("metric").path("fraction").asBoolean());
        assertEquals(
                pareto.path("fp32_top1").asDouble(),
                pareto.path("fp32_accuracy").asDouble(),
                1e-12,
                "the command ran on the fp32 model's outputs too");
        assertEquals(
                pareto.path("fp32_accuracy").asDouble() - 0.5,
                pareto.path("constraint").path("min_accuracy").asDouble(),
                1e-12,
                "absolute max_drop is in the command's own units");
        assertTrue(search.out().contains("fp32 my_top1 "), search.out());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("my_top1"), "the report names the metric");
    }

    @Test
    void aFailingCommandFailsEachTrialWithItsMessage() throws IOException {
        Files.writeString(tmp.resolve("Fail.java"), FAIL);
        Path run = tmp.resolve("run");
        Path exp = TinyExperiment.write(
                tmp,
                "failing-metric",
                2,
                2,
                0,
                5,
                "executor: {type: local, workers: 1}",
                "metric: {command: ['" + java() + "', Fail.java], timeout_s: 120}");
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());
        List<JsonNode> trials = log(run);
        assertEquals(2, trials.size(), "the search went on to its budget");
        for (JsonNode t : trials) {
            assertEquals("FAILED", t.path("status").asText(), t.toString());
            assertEquals(
                    "accuracy: metric command " + java() + " failed: exit code 3; stderr: boom: no column named logits",
                    t.path("reason").asText());
        }
        assertTrue(search.out().contains("2 trials, 2 failed"), search.out());
    }

    /** top-1 of the fp32 model and of each trial (by config hash) of a two-trial search on {@code dataset}. */
    private Map<String, Double> search(String name, String dataset, String extra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        List<String> lines = new ArrayList<>(List.of("executor: {type: local, workers: 1}"));
        if (!extra.isEmpty()) {
            lines.add(extra);
        }
        Path exp = TinyExperiment.write(dir, "data-" + name, 2, 2, 0, 11, lines.toArray(String[]::new));
        String yaml = Files.readString(exp).replace("dataset: {name: mnist,", "dataset: {name: '" + dataset + "',");
        Files.writeString(exp, yaml);
        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), name + ": " + search.err());
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode t : log(run)) {
            assertEquals("OK", t.path("status").asText(), name + ": " + t);
            assertEquals(VALIDATION, t.path("metrics").path("samples").asInt());
            out.put(
                    t.path("config_hash").asText(),
                    t.path("metrics").path("top1").asDouble());
        }
        out.put(
                "fp32",
                JSON.readTree(run.resolve(RunDirectory.PARETO).toFile())
                        .path("fp32_top1")
                        .asDouble());
        return out;
    }

    private static double evalTop1(String dataset) throws IOException {
        CliRun eval = CliRun.of(
                "eval",
                TinyExperiment.ROOT.resolve("models/mlp_mnist.onnx").toString(),
                "--data",
                dataset,
                "--split",
                "validation",
                "--limit",
                Integer.toString(VALIDATION),
                "--json");
        assertEquals(0, eval.status(), eval.err());
        return JSON.readTree(eval.out()).path("top1").asDouble();
    }

    private static List<JsonNode> log(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(RunDirectory.TRIALS))) {
            JsonNode n = JSON.readTree(line);
            if (n.path("kind").asText().equals("search")) {
                out.add(n);
            }
        }
        return out;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void png(byte[] grey, Path file) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, grey);
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IllegalStateException("no PNG writer");
        }
    }
}
