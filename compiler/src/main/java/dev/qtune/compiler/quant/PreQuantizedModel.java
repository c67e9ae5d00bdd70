package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.Graph;
import java.util.Objects;

/**
 * A model that arrived quantized (a QDQ ONNX file): the calibrated simulated graph its
 * QuantizeLinear/DequantizeLinear nodes describe, and the integer graph QuantizeRealize makes of
 * it with exactly the file's scales. There is no fp32 graph and no quant config: nothing is
 * recalibrated. {@code source} names the file.
 */
public record PreQuantizedModel(String source, Graph simulated, Graph realized) {
    public PreQuantizedModel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(simulated, "simulated");
        Objects.requireNonNull(realized, "realized");
    }
}
