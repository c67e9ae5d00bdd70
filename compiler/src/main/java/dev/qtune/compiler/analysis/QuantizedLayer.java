package dev.qtune.compiler.analysis;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QuantRole;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.ir.SimQuantizeNode;
import dev.qtune.compiler.quant.FusedActivation;
import dev.qtune.compiler.quant.QuantizedValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one op of a calibrated simulated graph (e.g. a pre-quantized model's) is quantized: the
 * quantization of the value it reads (through pass-through ops back to a point), of its weight, and
 * of its output (the point reading it, or reading the Relu the integer op fuses); empty where the
 * value is fp32. Zero points are 0 (docs/integer-semantics.md).
 */
public record QuantizedLayer(
        String name, String op, Optional<QuantSpec> input, Optional<QuantSpec> weight, Optional<QuantSpec> output) {
    /** One entry per node that is not itself a quantization point, in graph order. */
    public static List<QuantizedLayer> of(Graph simulated) {
        List<QuantizedLayer> layers = new ArrayList<>();
        for (Node n : simulated.nodes()) {
            if (n instanceof SimQuantizeNode) {
                continue;
            }
            Optional<QuantSpec> weight = n.inputs().size() > 1
                    ? point(simulated, n.inputs().get(1)).filter(s -> s.role() == QuantRole.WEIGHT)
                    : Optional.empty();
            Optional<QuantSpec> input = n.inputs().isEmpty()
                    ? Optional.empty()
                    : QuantizedValues.carried(simulated, n.inputs().get(0));
            layers.add(new QuantizedLayer(n.name(), n.opType(), input, weight, output(simulated, n)));
        }
        return layers;
    }

    private static Optional<QuantSpec> output(Graph g, Node n) {
        List<Node> readers = g.consumers(n.output());
        Optional<FusedActivation> activation = FusedActivation.reading(g, n.output());
        if (activation.isPresent()) {
            readers = g.consumers(activation.get().output());
        }
        return readers.stream()
                .filter(r -> r instanceof SimQuantizeNode)
                .findFirst()
                .map(r -> ((SimQuantizeNode) r).spec());
    }

    /** The spec of the point {@code v} is the output of, if it is one. */
    private static Optional<QuantSpec> point(Graph g, String v) {
        return g.producer(v).filter(p -> p instanceof SimQuantizeNode).map(p -> ((SimQuantizeNode) p).spec());
    }
}
