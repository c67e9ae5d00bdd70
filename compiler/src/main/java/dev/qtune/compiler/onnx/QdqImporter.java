package dev.qtune.compiler.onnx;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.proto.OnnxSubset.GraphProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantizeRealizePass;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a pre-quantized ONNX model in QDQ form (docs/formats.md, "Importing a QDQ model"): the
 * file's QuantizeLinear/DequantizeLinear nodes become qtune's calibrated quantization points
 * ({@link QdqGraphReader}, {@link QdqInheritedPoints}), and QuantizeRealize folds each
 * DequantizeLinear -> op -> QuantizeLinear sandwich into the integer op (QConv, QDense, QAdd,
 * QConcat, integer pools and reshapes) with exactly the file's scales; a point that no integer op
 * takes stays an explicit Quantize/Dequantize at an fp32 boundary. Nothing is recalibrated. A file
 * with quantized operators (QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger, ONNX Runtime's
 * QLinearAdd, ...) is first rewritten into that QDQ form by {@link QLinearExpander}. Only zero
 * points 0 are accepted (the integer graph is symmetric). Every error is an
 * {@link OnnxImportException} naming the file and node.
 */
public final class QdqImporter {
    private static final Logger LOG = LoggerFactory.getLogger(QdqImporter.class);

    private QdqImporter() {}

    /** Whether the model file uses QuantizeLinear/DequantizeLinear or a quantized operator. */
    public static boolean isPreQuantized(Path file) {
        ModelProto model = OnnxImporter.parseModel(OnnxImporter.readBytes(file), file.toString());
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (QuantizedOps.isQuantized(n.getOpType())) {
                return true;
            }
        }
        return false;
    }

    public static PreQuantizedModel load(Path file) {
        return parse(OnnxImporter.readBytes(file), file.toString());
    }

    /** Parses the bytes of a QDQ ONNX file; {@code source} names it in error messages. */
    public static PreQuantizedModel parse(byte[] bytes, String source) {
        ModelProto model = OnnxImporter.parseModel(bytes, source);
        int opset = OnnxImporter.defaultOpset(model, source);
        boolean ours = model.getProducerName().equals(OnnxWriter.PRODUCER);
        GraphProto qdq = QLinearExpander.expand(model.getGraph(), opset, source);
        Graph points = new QdqGraphReader(qdq, opset, source, ours).read();
        try {
            Graph typed = PassPipeline.apply(new InferTypesPass(), points);
            // The file's points are annotated and calibrated: they stand for both passes.
            Graph simulated = QdqInheritedPoints.mark(typed)
                    .withApplied("QuantizeAnnotate")
                    .withApplied("QuantizeCalibrate");
            Graph realized = PassPipeline.apply(new QuantizeRealizePass(), simulated);
            LOG.info(
                    "imported pre-quantized model {}: {} nodes, {} integer nodes",
                    source,
                    simulated.nodes().size(),
                    realized.nodes().size());
            return new PreQuantizedModel(source, simulated, realized);
        } catch (OnnxImportException e) {
            throw e;
        } catch (QtuneException | IllegalArgumentException | IllegalStateException e) {
            throw new OnnxImportException(source + ": " + e.getMessage(), e);
        }
    }
}
