package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.pass.PassPipeline;

/**
 * A model quantized under one config: the fp32 graph it came from (after the prerequisite passes),
 * the simulated graph (annotated and calibrated, runs in fp32 with fake quantization), and the
 * realized integer graph.
 */
public record QuantizedModel(Graph fp32, Graph simulated, Graph realized, QuantConfig config) {
    /** Runs QuantizeAnnotate, QuantizeCalibrate and QuantizeRealize on a prepared fp32 graph. */
    public static QuantizedModel of(Graph fp32, QuantConfig config, CalibrationStats stats) {
        Graph annotated = PassPipeline.apply(new QuantizeAnnotatePass(config), fp32);
        Graph simulated = PassPipeline.apply(new QuantizeCalibratePass(stats, config), annotated);
        Graph realized = PassPipeline.apply(new QuantizeRealizePass(), simulated);
        return new QuantizedModel(fp32, simulated, realized, config);
    }
}
