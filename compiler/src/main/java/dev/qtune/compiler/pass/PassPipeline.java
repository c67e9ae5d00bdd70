package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.GraphVerifier;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs passes in order, checking each pass's requirements and verifying the graph after each. */
public final class PassPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(PassPipeline.class);

    private final List<Pass> passes;

    public PassPipeline(List<Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    /** InferTypes, FoldConstants, SimplifyInference, FoldBatchNorm, EliminateDeadCode. */
    public static PassPipeline prerequisites() {
        return new PassPipeline(List.of(
                new InferTypesPass(),
                new FoldConstantsPass(),
                new SimplifyInferencePass(),
                new FoldBatchNormPass(),
                new EliminateDeadCodePass()));
    }

    public Graph run(Graph graph) {
        Graph g = graph;
        for (Pass p : passes) {
            g = apply(p, g);
        }
        return g;
    }

    /** Runs one pass after checking that the passes it requires have run. */
    public static Graph apply(Pass pass, Graph graph) {
        for (String required : pass.requires()) {
            if (!graph.applied().contains(required)) {
                throw new PassOrderException(pass.name() + " must run after " + required + ": run " + required
                        + " first (passes run so far: "
                        + (graph.applied().isEmpty() ? "none" : String.join(", ", graph.applied())) + ")");
            }
        }
        long start = System.nanoTime();
        Graph out = GraphVerifier.verify(pass.run(graph)).withApplied(pass.name());
        LOG.debug(
                "{}: {} -> {} nodes in {} ms",
                pass.name(),
                graph.nodes().size(),
                out.nodes().size(),
                (System.nanoTime() - start) / 1_000_000);
        return out;
    }
}
