package dev.qtune.experiments.cli;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.QdqImporter;
import dev.qtune.compiler.pass.FoldConstantsPass;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.PreQuantizedModel;
import java.nio.file.Path;
import java.util.List;

/**
 * How the CLI reads a model: import, then the passes each command needs; a pre-quantized (QDQ)
 * model is imported as its integer graph instead (docs/formats.md, "Importing a QDQ model").
 */
final class ModelLoader {
    private ModelLoader() {}

    /** The graph as imported, typed and with constants folded: what `inspect` shows. */
    static Graph forInspection(Path model) {
        return new PassPipeline(List.of(new InferTypesPass(), new FoldConstantsPass())).run(OnnxImporter.load(model));
    }

    /** The graph after all prerequisite passes: what the interpreter runs. */
    static Graph forExecution(Path model) {
        return PassPipeline.prerequisites().run(OnnxImporter.load(model));
    }

    /** Whether the file is a pre-quantized model (QuantizeLinear/DequantizeLinear or quantized operators). */
    static boolean isPreQuantized(Path model) {
        return QdqImporter.isPreQuantized(model);
    }

    /** A pre-quantized model: its quantization points and its integer graph, with the file's scales. */
    static PreQuantizedModel preQuantized(Path model) {
        return QdqImporter.load(model);
    }
}
