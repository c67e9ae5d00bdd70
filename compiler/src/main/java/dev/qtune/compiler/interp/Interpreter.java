package dev.qtune.compiler.interp;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.ValueInfo;
import java.util.Map;
import java.util.function.BiConsumer;

/** A reference interpreter of graphs: fp32 ({@link Fp32Interpreter}) or integer ({@link IntegerInterpreter}). */
public interface Interpreter {
    Graph graph();

    /**
     * Runs the graph on named inputs and returns the graph outputs by name; {@code observer} sees
     * every graph input and every value a node computes, as soon as it exists.
     */
    Map<String, Tensor> run(Map<String, Tensor> feeds, BiConsumer<String, Tensor> observer);

    /** Runs the graph on named inputs; returns the graph outputs by name. */
    default Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, (name, value) -> {});
    }

    /**
     * Runs a single-input, single-output graph on {@code batch} f32 samples laid out as the input's
     * shape with the batch axis bound; returns the output.
     */
    default Tensor run(float[] input, int batch) {
        return run(input, batch, (name, value) -> {});
    }

    /** {@link #run(float[], int)} with an observer of every computed value. */
    default Tensor run(float[] input, int batch, BiConsumer<String, Tensor> observer) {
        Graph graph = graph();
        if (graph.inputs().size() != 1 || graph.outputs().size() != 1) {
            throw new QtuneException("graph '" + graph.name()
                    + "' must have one input and one output for batch runs, but has "
                    + graph.inputs().size() + " inputs and " + graph.outputs().size() + " outputs");
        }
        ValueInfo in = graph.inputs().get(0);
        if (in.type().dtype() != DType.F32) {
            throw new QtuneException("graph input '" + in.name() + "' must be f32, but is " + in.type());
        }
        Shape shape = in.type().shape().withDim(0, batch).bind(batch);
        if (shape.numel() != input.length) {
            throw new QtuneException("input data for '" + in.name() + "' must have " + shape.numel() + " values ("
                    + shape + "), but has " + input.length);
        }
        return run(Map.of(in.name(), Tensor.ofFloats(shape, input)), observer)
                .values()
                .iterator()
                .next();
    }
}
