package dev.qtune.compiler.onnx;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantizedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a quantized model as a standard ONNX QDQ model (docs/formats.md, "QDQ export"): the
 * simulated graph, with QuantizeLinear -> DequantizeLinear at every activation point, int8 weights
 * and int32 biases read through DequantizeLinear, and a point after every pass-through op
 * ({@link QdqPassThroughPoints}), so that ONNX Runtime's QDQ optimiser recognises the integer
 * patterns. Activations of fewer than 8 bits cannot be expressed (QuantizeLinear saturates to the
 * full int8/uint8 range): they are exported on their grid, unclipped, with a WARN naming them.
 */
public final class QdqExporter {
    private static final Logger LOG = LoggerFactory.getLogger(QdqExporter.class);

    private QdqExporter() {}

    /** The graph written: the simulated graph with the pass-through points added. */
    public static Graph qdqGraph(QuantizedModel model) {
        return QdqPassThroughPoints.insert(model.simulated());
    }

    public static ModelProto toProto(QuantizedModel model) {
        return proto(qdqGraph(model));
    }

    private static ModelProto proto(Graph g) {
        List<String> narrow = narrowActivations(g);
        if (!narrow.isEmpty()) {
            LOG.warn(
                    "QDQ export of '{}': {} activation tensor(s) use fewer than 8 bits, which QuantizeLinear cannot "
                            + "express (it saturates to the full int8/uint8 range, so values beyond the calibrated threshold "
                            + "are not clipped): {}",
                    g.name(),
                    narrow.size(),
                    String.join(", ", narrow));
        }
        return OnnxWriter.toProto(g);
    }

    /** Writes the QDQ model to {@code file} (parent folders are created). */
    public static QdqExportResult write(QuantizedModel model, Path file) {
        return write(qdqGraph(model), OnnxWriter.PRODUCER, file);
    }

    /**
     * Writes a pre-quantized model back as a QDQ model in qtune's layout: its scales and activation
     * zero points as imported, weight zero points folded into the int8 weights, quantized operators
     * (QLinearConv, ...) as Q/DQ around float ops. A model whose int8 activations use
     * QuantizeLinear's [-128, 127] is written under another producer name, so that importing the
     * file again keeps that range (qtune's own files mean [-127, 127]).
     */
    public static QdqExportResult write(PreQuantizedModel model, Path file) {
        Graph g = QdqPassThroughPoints.insert(model.simulated());
        boolean fullInt8 = g.nodes().stream()
                .anyMatch(n -> n instanceof SimQuantizeNode q
                        && q.spec().role() != QuantRole.WEIGHT
                        && q.spec().storage() == DType.I8
                        && q.spec().range().min() == -128);
        return write(g, fullInt8 ? FULL_INT8_PRODUCER : OnnxWriter.PRODUCER, file);
    }

    /** The producer name of a re-exported model whose int8 activations span [-128, 127]. */
    static final String FULL_INT8_PRODUCER = OnnxWriter.PRODUCER + "-full-int8";

    private static QdqExportResult write(Graph g, String producer, Path file) {
        byte[] bytes = proto(g).toBuilder().setProducerName(producer).build().toByteArray();
        OnnxWriter.writeFile(bytes, file);
        int points = 0;
        int weights = 0;
        int biases = 0;
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q) {
                switch (q.spec().role()) {
                    case ACTIVATION, INHERIT -> points++;
                    case WEIGHT -> weights++;
                    case BIAS -> biases++;
                }
            }
        }
        LOG.info(
                "wrote QDQ model {}: {} activation points, {} weights, {} biases, {} bytes",
                file,
                points,
                weights,
                biases,
                bytes.length);
        return new QdqExportResult(file, bytes.length, points, weights, biases, narrowActivations(g));
    }

    /**
     * Activation points narrower than their 8-bit storage, as "tensor (N bits, [lo, hi])" (points
     * that inherit their range from one of these are not listed again).
     */
    static List<String> narrowActivations(Graph g) {
        List<String> narrow = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof SimQuantizeNode q && q.spec().role() == QuantRole.ACTIVATION) {
                QuantSpec s = q.spec();
                boolean full = s.storage() == DType.U8
                        ? s.range().max() == 255
                        : s.range().max() >= 127;
                if (!full) {
                    narrow.add(q.tensor() + " (" + s.config().activationBits() + " bits, ["
                            + s.range().min() + ", " + s.range().max() + "])");
                }
            }
        }
        return narrow;
    }
}
