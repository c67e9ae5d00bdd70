package dev.qtune.evaluator.quant;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.compiler.quant.QuantizedModel;
import dev.qtune.evaluator.data.Datasets;
import java.nio.file.Path;

/** Test helper: a shared model (models/) quantized under an example config (experiments/qconfigs). */
public final class ExampleQuantizations {
    private ExampleQuantizations() {}

    /**
     * {@code model} quantized under {@code config}, calibrated on the first {@code calibration}
     * images of {@code data}'s calibration split (statistics cached in {@code cache}).
     */
    public static QuantizedModel quantize(String model, String data, String config, int calibration, Path cache) {
        Path file = Path.of("..", "models", model + ".onnx");
        Graph fp32 = PassPipeline.prerequisites().run(OnnxImporter.load(file));
        QuantConfig c = QuantConfigReader.read(Path.of("..", "experiments", "qconfigs", config + ".yaml"));
        c = new QuantConfig(
                c.defaults(),
                c.layers(),
                calibration,
                c.globalScale(),
                c.allowFp32Islands(),
                c.boundaryCalibration(),
                c.source());
        return QuantEvaluation.quantize(file, fp32, c, Datasets.load(data, "calibration"), 2, cache)
                .model();
    }
}
