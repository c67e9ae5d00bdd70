package dev.qtune.experiments.peer;

import dev.qtune.compiler.interp.Fp32Interpreter;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.onnx.proto.OnnxSubset.ModelProto;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.evaluator.data.Dataset;
import java.util.HashMap;
import java.util.Map;

/**
 * The min/max calibration of ONNX Runtime's {@code quantize_static} (CalibrationMethod.MinMax):
 * the smallest and largest value every float32 tensor of the model takes over the calibration
 * images, measured by running the model on qtune's fp32 reference interpreter and watching every
 * value it computes (names are the ONNX tensor names: the model is imported as is, without
 * qtune's prerequisite passes).
 */
final class ActivationRanges {
    private static final int BATCH = 32;

    private final String model;
    private final Map<String, float[]> minMax;

    private ActivationRanges(String model, Map<String, float[]> minMax) {
        this.model = model;
        this.minMax = minMax;
    }

    /** Ranges over the first {@code images} images of {@code data}; {@code source} names the model in errors. */
    static ActivationRanges measure(ModelProto fp32, String source, Dataset data, int images) {
        Graph g = InferTypesPass.infer(OnnxImporter.parse(fp32.toByteArray(), source));
        Fp32Interpreter interpreter = new Fp32Interpreter(g);
        Map<String, float[]> minMax = new HashMap<>();
        int n = Math.min(images, data.count());
        for (int start = 0; start < n; start += BATCH) {
            int batch = Math.min(BATCH, n - start);
            interpreter.run(data.batch(start, batch), batch, (name, value) -> observe(minMax, name, value));
        }
        return new ActivationRanges(source, minMax);
    }

    private static void observe(Map<String, float[]> minMax, String name, Tensor value) {
        if (value.dtype() != DType.F32) {
            return;
        }
        float[] range =
                minMax.computeIfAbsent(name, k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        for (float v : value.floats()) {
            if (v < range[0]) {
                range[0] = v;
            }
            if (v > range[1]) {
                range[1] = v;
            }
        }
    }

    float min(String tensor) {
        return range(tensor)[0];
    }

    float max(String tensor) {
        return range(tensor)[1];
    }

    private float[] range(String tensor) {
        float[] r = minMax.get(tensor);
        if (r == null || r[0] > r[1]) {
            throw new IllegalArgumentException(model + ": no calibrated range for tensor '" + tensor
                    + "' (the fp32 interpreter computed no finite float32 value of that name)");
        }
        return r;
    }
}
