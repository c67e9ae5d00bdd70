package dev.qtune.compiler.zoo;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The benchmark zoo: ImageNet-shaped models with seeded random weights, for latency benchmarks
 * where accuracy does not matter (their outputs are meaningless). Each is written as
 * {@code <name>.onnx}.
 */
public enum ModelZoo {
    RESNET18("resnet18", ResNet18Builder::build),
    MOBILENETV2("mobilenetv2", MobileNetV2Builder::build);

    /** The seed of {@code qtune zoo} when none is given. */
    public static final long DEFAULT_SEED = 0;

    private final String fileStem;
    private final LongFunction<Graph> builder;

    ModelZoo(String fileStem, LongFunction<Graph> builder) {
        this.fileStem = fileStem;
        this.builder = builder;
    }

    public String fileName() {
        return fileStem + ".onnx";
    }

    /** The fp32 graph (BatchNorm not yet folded), typed. */
    public Graph build(long seed) {
        return builder.apply(seed);
    }

    /** Builds every model with {@code seed} and writes it to {@code dir}; returns the files in zoo order. */
    public static List<Path> writeAll(Path dir, long seed) {
        List<Path> files = new ArrayList<>();
        for (ModelZoo m : values()) {
            Path file = dir.resolve(m.fileName());
            OnnxWriter.write(m.build(seed), file);
            files.add(file);
        }
        return files;
    }
}
