package dev.qtune.experiments.cli;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.FoldConstantsPass;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassPipeline;
import java.nio.file.Path;
import java.util.List;

/** How the CLI reads a model: import, then the passes each command needs. */
final class ModelLoader {
    private ModelLoader() {
    }

    /** The graph as imported, typed and with constants folded: what `inspect` shows. */
    static Graph forInspection(Path model) {
        return new PassPipeline(List.of(new InferTypesPass(), new FoldConstantsPass())).run(OnnxImporter.load(model));
    }

    /** The graph after all prerequisite passes: what the interpreter runs. */
    static Graph forExecution(Path model) {
        return PassPipeline.prerequisites().run(OnnxImporter.load(model));
    }
}
