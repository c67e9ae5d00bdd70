package dev.qtune.experiments.cli;

import dev.qtune.compiler.QtuneException;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.targets.codegen.CModule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** `qtune build`'s sample inputs for example.c (--samples, --split), as a picocli mixin. */
final class BuildSamples {
    @Option(
            names = "--samples",
            defaultValue = "0",
            paramLabel = "N",
            description = "Also write the first N images of --split as samples.f32 (and their labels as "
                    + "samples_labels.txt) for example.c (default: none).")
    int samples;

    @Option(
            names = "--split",
            defaultValue = "test",
            paramLabel = "S",
            description = "The split --samples reads (default: ${DEFAULT-VALUE}).")
    String split;

    /** Checks --samples. */
    void check(CommandLine cmd) {
        if (samples < 0) {
            throw new CommandLine.ParameterException(cmd, "--samples must be >= 0, but was " + samples);
        }
    }

    /** Whether --samples asks for any. */
    boolean any() {
        return samples > 0;
    }

    /** samples.f32 (little-endian float32, sample after sample) and samples_labels.txt, when --samples asks. */
    Map<String, byte[]> files(BuildSource source, CModule module) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (samples == 0) {
            return files;
        }
        Dataset d = Datasets.load(source.data(), split);
        if (d.imageSize() != module.inputSize()) {
            throw new QtuneException("--samples: the images of " + d.name() + "/" + split + " hold " + d.imageSize()
                    + " values, but the model's input takes " + module.inputSize());
        }
        int n = Math.min(samples, d.count());
        float[] values = d.batch(0, n);
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        files.put("samples.f32", b.array());
        if (d.labeled()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(i).append(' ').append(d.label(i)).append('\n');
            }
            files.put("samples_labels.txt", sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }
}
