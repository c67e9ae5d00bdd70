package dev.qtune.evaluator.accuracy;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import java.nio.file.Path;

/** The shared reference models as the tests use them (from the repository's models/ folder). */
enum ReferenceModels {
    MLP_MNIST("mlp_mnist", "mnist", 0.9822),
    LENET5_MNIST("lenet5_mnist", "mnist", 0.9913),
    RESNET8_FASHION("resnet8_fashion", "fashion-mnist", 0.9240);

    final String file;
    final String dataset;
    /** fp32 top-1 on the 10,000 test images, from models/README.md. */
    final double top1;

    ReferenceModels(String file, String dataset, double top1) {
        this.file = file;
        this.dataset = dataset;
        this.top1 = top1;
    }

    Path onnx() {
        return Path.of("..", "models", file + ".onnx");
    }

    Path expectedJson() {
        return Path.of("..", "models", file + ".expected.json");
    }

    Graph imported() {
        return OnnxImporter.load(onnx());
    }

    Fp32Interpreter prepared() {
        return new Fp32Interpreter(PassPipeline.prerequisites().run(imported()));
    }
}
