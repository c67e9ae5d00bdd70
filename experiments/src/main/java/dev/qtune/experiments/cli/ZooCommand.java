package dev.qtune.experiments.cli;

import dev.qtune.compiler.analysis.ModelSummary;
import dev.qtune.compiler.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `qtune zoo --out DIR [--seed N]`: writes the benchmark zoo (ResNet-18 and MobileNetV2 with
 * ImageNet-shaped input and seeded random weights) as DIR/resnet18.onnx and DIR/mobilenetv2.onnx.
 */
@Command(
        name = "zoo",
        description =
                "Write benchmark models (resnet18.onnx, mobilenetv2.onnx; seeded random weights, 3x224x224 input).")
final class ZooCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write the models to (created if missing).")
    Path out;

    @Option(
            names = "--seed",
            defaultValue = "0",
            paramLabel = "N",
            description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        List<Path> files = ModelZoo.writeAll(out, seed);
        ModelZoo[] models = ModelZoo.values();
        for (int i = 0; i < models.length; i++) {
            ModelSummary s = ModelSummary.of(ModelLoader.forInspection(files.get(i)));
            stdout.printf(
                    "wrote %s: %s, seed %d, %,d parameters, %.3f GMAC per image, %,d bytes%n",
                    files.get(i),
                    models[i].name().toLowerCase(),
                    seed,
                    s.params(),
                    s.macs() / 1e9,
                    files.get(i).toFile().length());
        }
        return 0;
    }
}
