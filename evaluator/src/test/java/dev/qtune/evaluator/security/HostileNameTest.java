package dev.qtune.evaluator.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.targets.Targets;
import dev.qtune.targets.codegen.CModule;
import dev.qtune.targets.codegen.CModuleEmitter;
import dev.qtune.targets.runner.InferResult;
import dev.qtune.targets.runner.NativeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from a model never becomes code: node and graph names that try to close the C string
 * (the trigraph "??/" that gcc reads as a backslash under -std=c11, quotes, backslashes, newlines,
 * comment ends, random bytes) compile into a module that runs only the model and gives the same
 * outputs as the plainly named one; no byte of a name outside [A-Za-z0-9 _./:-] reaches the source.
 */
class HostileNameTest {
    private static final int IMAGES = 8;

    @TempDir
    static Path dir;

    static ModelProto mlp;
    static float[] images;
    static float[] plainOutputs;

    @BeforeAll
    static void plainModel() throws IOException {
        Path file = Path.of("..", "models", "mlp_mnist.onnx");
        mlp = ModelProto.parseFrom(Files.readAllBytes(file));
        Dataset test = Datasets.load("mnist", "test");
        images = test.batch(0, IMAGES);
        plainOutputs = run(mlp, "plain");
    }

    /** The reproduction: a node name that closes the string and adds a constructor calling system(). */
    @Test
    void trigraphNameRunsNoCode() throws IOException {
        Path marker = dir.resolve("pwned");
        StringBuilder codes = new StringBuilder();
        for (char c : ("touch " + marker).toCharArray()) {
            codes.append((int) c).append(',');
        }
        String evil = "??/\", 0}; int system(const char *); __attribute__((constructor)) static void p(void)"
                + "{system((char[]){" + codes + "0});} static const char *const d[] __attribute__((unused)) = {//";
        assertArrayEquals(plainOutputs, run(renamed(i -> evil + i, "??/\n*/ evil"), "trigraph"));
        assertFalse(Files.exists(marker), "the model's name ran code: " + marker + " exists");
    }

    /** Random bytes (valid UTF-8 after protobuf's decoding) in every node name and the graph's name. */
    @Test
    void fuzzedNamesCompileAndRunOnlyTheModel() throws IOException {
        Random random = new Random(17);
        String alphabet = "?\"\\/*\n\r\t\0'{}();#%<>:.-_ aZ9\u00e9\u2028\uffff";
        for (int round = 0; round < 4; round++) {
            IntFunction<String> name = i -> randomName(random, alphabet);
            assertArrayEquals(
                    plainOutputs, run(renamed(name, randomName(random, alphabet)), "fuzz" + round), "round " + round);
        }
    }

    private static String randomName(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            sb.append(
                    random.nextInt(4) == 0
                            ? (char) (1 + random.nextInt(0xd7ff))
                            : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static ModelProto renamed(IntFunction<String> nodeName, String graphName) {
        ModelProto.Builder b = mlp.toBuilder();
        b.getGraphBuilder().setName(graphName);
        for (int i = 0; i < b.getGraphBuilder().getNodeCount(); i++) {
            NodeProto.Builder n = b.getGraphBuilder().getNodeBuilder(i);
            n.setName(nodeName.apply(i));
        }
        return b.build();
    }

    private static float[] run(ModelProto model, String label) throws IOException {
        Graph g = PassPipeline.prerequisites().run(OnnxImporter.parse(model.toByteArray(), label + ".onnx"));
        CModule m = CModuleEmitter.emit(g, Targets.byName(Targets.GENERIC_C), ScheduleConfig.EMPTY);
        String source = m.modelSource();
        assertFalse(source.contains("?"), "a '?' reached the C source");
        String names = source.substring(source.indexOf("qt_layer_names[] = {"), source.indexOf("0\n};"));
        assertTrue(
                names.replaceAll("\\\\[0-7]{3}", "").matches("(?s)qt_layer_names\\[\\] = \\{[A-Za-z0-9 _./:\\-\",\n]*"),
                "only safe characters and octal escapes in the layer names: " + names);
        NativeModel nm = NativeModel.build(m, Targets.byName(Targets.GENERIC_C), dir.resolve("cache"), List.of());
        InferResult r = nm.infer(images, IMAGES, 1, Duration.ofSeconds(60));
        assertTrue(r.ok(), r.reason());
        return r.outputs();
    }
}
