package dev.qtune.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.onnx.OnnxImporter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/** Shared helpers for compiler tests: reference models, seeded data, tiny graph building, tolerant compares. */
public final class Fixtures {
    public static final String MLP = "mlp_mnist.onnx";
    public static final String LENET = "lenet5_mnist.onnx";
    public static final String RESNET = "resnet8_fashion.onnx";

    private static final Map<String, Graph> LOADED = new ConcurrentHashMap<>();

    private Fixtures() {}

    /** A reference model file; Maven runs the tests in the module directory. */
    public static Path model(String file) {
        Path p = Path.of("..", "models", file);
        if (!Files.isRegularFile(p)) {
            fail("reference model " + p.toAbsolutePath() + " is missing (see models/README.md)");
        }
        return p;
    }

    /** The imported reference model (graphs are immutable, so one import is shared). */
    public static Graph load(String file) {
        return LOADED.computeIfAbsent(file, f -> OnnxImporter.load(model(f)));
    }

    /** {@code n} seeded uniform values in [lo, hi). */
    public static float[] uniform(long seed, int n, float lo, float hi) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = lo + (hi - lo) * r.nextFloat();
        }
        return out;
    }

    /** A seeded random f32 tensor with values in [-1, 1). */
    public static Tensor random(long seed, int... dims) {
        Shape s = Shape.of(dims);
        return Tensor.ofFloats(s, uniform(seed, s.numel(), -1f, 1f));
    }

    /**
     * The first {@code count} test images of a built-in dataset ({@code mnist}, {@code fashion-mnist}:
     * the repository's data/ directory, docs/formats.md "IDX files") as pixels / 255, image after image.
     */
    public static float[] testImages(String dataset, int count) {
        Path file = Path.of("..", "data", dataset, "t10k-images-idx3-ubyte.gz");
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            int magic = in.readInt();
            int images = in.readInt();
            int pixels = in.readInt() * in.readInt();
            if (magic != 0x803 || images < count) {
                fail(file + " must be an IDX file of at least " + count + " uint8 images, but has magic " + magic
                        + " and " + images + " images");
            }
            byte[] raw = new byte[count * pixels];
            in.readFully(raw);
            float[] out = new float[raw.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (raw[i] & 0xff) / 255f;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test images " + file.toAbsolutePath(), e);
        }
    }

    public static Tensor tensor(int[] dims, float... values) {
        return Tensor.ofFloats(Shape.of(dims), values);
    }

    /** Asserts |actual - expected| <= tol * max(1, |expected|) element-wise, naming the first bad index. */
    public static void assertClose(double[] expected, float[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double bound = tol * Math.max(1.0, Math.abs(expected[i]));
            if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (tolerance " + bound
                        + ")");
            }
        }
    }

    public static void assertClose(float[] expected, float[] actual, double tol, String what) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose(e, actual, tol, what);
    }

    public static void assertShape(Tensor t, int... dims) {
        assertArrayEquals(dims, t.shape().dims(), "shape " + t.shape());
    }

    /** Builds small graphs by hand: typed inputs, initializers, nodes in order, named outputs. */
    public static final class GraphBuilder {
        private final String name;
        private int opset = 13;
        private final List<ValueInfo> inputs = new ArrayList<>();
        private final List<ValueInfo> outputs = new ArrayList<>();
        private final Map<String, Tensor> inits = new LinkedHashMap<>();
        private final List<Node> nodes = new ArrayList<>();

        public GraphBuilder(String name) {
            this.name = name;
        }

        public GraphBuilder opset(int v) {
            opset = v;
            return this;
        }

        public GraphBuilder input(String value, TensorType type) {
            inputs.add(new ValueInfo(value, type));
            return this;
        }

        public GraphBuilder init(String value, Tensor t) {
            inits.put(value, t);
            return this;
        }

        public GraphBuilder node(Node n) {
            nodes.add(n);
            return this;
        }

        /** A graph output; its declared type is a placeholder until InferTypes runs. */
        public GraphBuilder output(String value) {
            outputs.add(new ValueInfo(value, TensorType.f32()));
            return this;
        }

        public GraphBuilder output(String value, TensorType type) {
            outputs.add(new ValueInfo(value, type));
            return this;
        }

        public Graph build() {
            return new Graph(name, opset, inputs, outputs, inits, nodes, Map.of(), Set.of());
        }
    }
}
