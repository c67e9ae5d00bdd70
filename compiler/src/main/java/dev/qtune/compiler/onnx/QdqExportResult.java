package dev.qtune.compiler.onnx;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link QdqExporter} wrote: the file and its size, the number of QuantizeLinear ->
 * DequantizeLinear pairs (activations), of int8 weight and int32 bias initializers, and the
 * activation tensors quantized to fewer than 8 bits, which ONNX computes at 8 bits (docs/formats.md).
 */
public record QdqExportResult(
        Path file, long bytes, int activationPoints, int weights, int biases, List<String> narrowActivations) {
    public QdqExportResult {
        Objects.requireNonNull(file, "file");
        if (bytes < 0 || activationPoints < 0 || weights < 0 || biases < 0) {
            throw new IllegalArgumentException("counts must be >= 0, but were bytes " + bytes + ", points "
                    + activationPoints + ", weights " + weights + ", biases " + biases);
        }
        narrowActivations = List.copyOf(narrowActivations);
    }
}
