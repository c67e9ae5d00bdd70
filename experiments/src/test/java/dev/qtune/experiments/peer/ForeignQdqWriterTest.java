package dev.qtune.experiments.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.OperatorSetIdProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TensorShapeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.TypeProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ValueInfoProto;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.experiments.peer.ForeignQdqConvention.Activations;
import dev.qtune.experiments.peer.ForeignQdqWriter.Params;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ForeignQdqWriter} itself: its arithmetic is ONNX's, its preparation keeps the model, its layout is ORT's. */
class ForeignQdqWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} zero point {1}")
    @CsvSource({"UINT8, 37", "INT8, -5", "INT8, 0"})
    void quantizeLinearRoundsAndSaturatesAsOnnxRuntime(OnnxType type, int zeroPoint) {
        float scale = 0.25f;
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 32) * 0.125f * 11
                    + (i % 3 == 0 ? 0.0625f : 0f); // ties (k + 0.5) * s, both signs, beyond the range
        }
        Path model = dir.resolve("qdq.onnx");
        ForeignQdqWriter.save(quantizeDequantize(type, scale, zeroPoint, x.length), model);
        float[] ort;
        try (OrtRunner runner = OrtRunner.open(model, 1, OptLevel.NO_OPT)) {
            ort = runner.run(x, 1);
        }
        float[] ours = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            ours[i] = (ForeignQdqWriter.quantizeLinear(x[i], scale, zeroPoint, type) - zeroPoint) * scale;
        }
        assertArrayEquals(ort, ours);
    }

    @Test
    void activationParametersFollowEachConvention() {
        assertParams(Activations.U8_ASYMMETRIC, -1f, 3f, 4f / 255f, 64); // rint(63.75)
        assertParams(Activations.U8_ASYMMETRIC, 0.5f, 2f, 2f / 255f, 0); // the range widened to include 0
        assertParams(Activations.S8_ASYMMETRIC, -1f, 3f, 4f / 255f, -64); // rint(-128 + 63.75)
        assertParams(Activations.S8_ASYMMETRIC, 0f, 6f, 6f / 255f, -128); // after a Relu
        assertParams(Activations.U8_ZERO_POINT_128, -2f, 1f, 2f / 127f, 128);
        assertParams(Activations.S8_SYMMETRIC, -2f, 1f, 2f / 127f, 0);
    }

    @ParameterizedTest(name = "{0}, Gemm split {2}")
    @CsvSource({
        "mlp_mnist, mnist, true",
        "resnet8_fashion, fashion-mnist, false",
        "resnet8_fashion, fashion-mnist, true"
    })
    void preparationKeepsTheFp32Predictions(String model, String data, boolean splitGemm) throws IOException {
        Path original = Path.of("..", "models", model + ".onnx");
        ModelProto prepared = ForeignPreparation.prepare(ModelProto.parseFrom(Files.readAllBytes(original)), splitGemm);
        for (NodeProto n : prepared.getGraph().getNodeList()) {
            assertFalse(
                    List.of("BatchNormalization", "Identity").contains(n.getOpType())
                            || splitGemm && n.getOpType().equals("Gemm"),
                    n.getOpType() + " node '" + n.getName() + "' is left");
        }
        Path file = dir.resolve("prepared.onnx");
        ForeignQdqWriter.save(prepared, file);
        Dataset test = Datasets.load(data, "test");
        AccuracyResult before = ort(original, test);
        AccuracyResult after = ort(file, test);
        int same = 0;
        for (int i = 0; i < before.samples(); i++) {
            same += before.predictions()[i] == after.predictions()[i] ? 1 : 0;
        }
        assertEquals(before.samples(), same, model + ": predictions of the prepared model");
    }

    @Test
    void theQdqLayoutIsOnnxRuntimes() throws IOException {
        ModelProto m = lenet(ForeignQdqConvention.U8_ASYMMETRIC);
        assertEquals(ForeignQdqWriter.PRODUCER, m.getProducerName());
        GraphProto g = m.getGraph();
        Map<String, TensorProto> inits = new HashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Map<String, NodeProto> byName = new HashMap<>();
        g.getNodeList().forEach(n -> byName.put(n.getName(), n));
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear")) {
                long readers = g.getNodeList().stream()
                        .filter(r -> r.getInputList().contains(n.getOutput(0)))
                        .count();
                NodeProto dq = byName.get(n.getName().replace("_QuantizeLinear", "_DequantizeLinear"));
                assertEquals(1, readers, n.getName());
                assertEquals(n.getOutput(0), dq.getInput(0), n.getName());
            }
        }
        // Q/DQ after the Relu that follows the Conv, none between them
        assertTrue(byName.containsKey("/relu1/Relu_output_0_QuantizeLinear"));
        assertFalse(byName.containsKey("/conv1/Conv_output_0_QuantizeLinear"));
        // MaxPool output on its input's grid
        assertArrayEquals(
                OnnxType.floats(inits.get("/relu1/Relu_output_0_scale")),
                OnnxType.floats(inits.get("/pool1/MaxPool_output_0_scale")));
        // weights int8 per output channel, biases int32 at s_x * s_w
        TensorProto w = inits.get("conv2.weight_quantized");
        assertEquals(OnnxType.INT8.code, w.getDataType());
        assertEquals(
                0, byName.get("conv2.weight_DequantizeLinear").getAttribute(0).getI());
        float[] ws = OnnxType.floats(inits.get("conv2.weight_scale"));
        float[] bs = OnnxType.floats(inits.get("conv2.bias_quantized_scale"));
        float xs = OnnxType.floats(inits.get("/pool1/MaxPool_output_0_scale"))[0];
        assertEquals(16, ws.length);
        for (int o = 0; o < ws.length; o++) {
            assertEquals(xs * ws[o], bs[o], 0f, "bias scale of channel " + o);
        }
        assertEquals(OnnxType.INT32.code, inits.get("conv2.bias_quantized").getDataType());
        // the graph output keeps its name on the last DequantizeLinear
        assertEquals("logits", byName.get("logits_DequantizeLinear").getOutput(0));
        assertEquals("logits_QuantizeLinear_Input", byName.get("/fc3/Gemm").getOutput(0));
    }

    @Test
    void theQOperatorLayoutUsesQLinearConvAndQLinearMatMul() throws IOException {
        ModelProto m = lenet(ForeignQdqConvention.QLINEAR);
        Map<String, Integer> ops = new HashMap<>();
        m.getGraph().getNodeList().forEach(n -> ops.merge(n.getOpType(), 1, Integer::sum));
        assertEquals(2, ops.get("QLinearConv"));
        assertEquals(3, ops.get("QLinearMatMul"));
        assertEquals(null, ops.get("Conv"));
        assertEquals(null, ops.get("Gemm"));
        assertEquals(2, ops.get("Relu"), "the Relus after the bias Adds of fc1 and fc2 stay; those after the convs go");
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (n.getOpType().equals("QLinearConv")) {
                assertEquals(9, n.getInputCount(), n.getName() + " has its int32 bias");
            }
        }
    }

    private ModelProto lenet(ForeignQdqConvention convention) throws IOException {
        Path file = Path.of("..", "models", "lenet5_mnist.onnx");
        return ForeignQdqWriter.write(
                ModelProto.parseFrom(Files.readAllBytes(file)),
                file.toString(),
                convention,
                Datasets.load("mnist", "calibration"),
                64);
    }

    private static void assertParams(Activations scheme, float min, float max, float scale, int zeroPoint) {
        Params p = ForeignQdqWriter.activationParams(scheme, min, max);
        assertEquals(scale, p.scale(), 0f, scheme + " [" + min + ", " + max + "] scale");
        assertEquals(zeroPoint, p.zeroPoints()[0], scheme + " [" + min + ", " + max + "] zero point");
        assertEquals(scheme.type, p.type());
    }

    private static AccuracyResult ort(Path file, Dataset test) {
        try (OrtRunner runner = OrtRunner.open(file, 1, OptLevel.NO_OPT)) {
            return runner.evaluate(test, ForeignQdqTest.IMAGES, OrtRunner.DEFAULT_BATCH);
        }
    }

    /** x [batch, n] -> QuantizeLinear -> DequantizeLinear -> y, with scalar parameters. */
    private static ModelProto quantizeDequantize(OnnxType type, float scale, int zeroPoint, int n) {
        TypeProto f32 = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxType.FLOAT.code)
                        .setShape(TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n))))
                .build();
        GraphProto g = GraphProto.newBuilder()
                .setName("qdq")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(f32))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(f32))
                .addInitializer(OnnxType.floatTensor("s", List.of(), new float[] {scale}))
                .addInitializer(type.tensor("zp", List.of(), new int[] {zeroPoint}))
                .addNode(NodeProto.newBuilder()
                        .setName("q")
                        .setOpType("QuantizeLinear")
                        .addInput("x")
                        .addInput("s")
                        .addInput("zp")
                        .addOutput("xq"))
                .addNode(NodeProto.newBuilder()
                        .setName("dq")
                        .setOpType("DequantizeLinear")
                        .addInput("xq")
                        .addInput("s")
                        .addInput("zp")
                        .addOutput("y"))
                .build();
        return ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g)
                .build();
    }
}
