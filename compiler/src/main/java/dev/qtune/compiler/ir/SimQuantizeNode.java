package dev.qtune.compiler.ir;

import java.util.List;
import java.util.Objects;

/**
 * Simulated (fake) quantization in fp32, as TVM's annotate inserts it: y = clamp(rint(x / s)) * s
 * with the spec's scales and range. QuantizeAnnotate inserts these, QuantizeCalibrate sets their
 * scales, QuantizeRealize turns them into integer ops. {@code tensor} names the fp32 tensor this
 * quantizes as the unannotated graph calls it: the key of its calibration statistics.
 */
public record SimQuantizeNode(String name, List<String> inputs, String output, String tensor, QuantSpec spec)
        implements DataNode {
    public SimQuantizeNode {
        inputs = NodeChecks.node("SimQuantize", name, inputs, 1, 1, output);
        Objects.requireNonNull(spec, "spec");
    }

    public SimQuantizeNode withSpec(QuantSpec newSpec) {
        return new SimQuantizeNode(name, inputs, output, tensor, newSpec);
    }

    @Override
    public String opType() {
        return "SimQuantize";
    }

    @Override
    public SimQuantizeNode withInputs(List<String> newInputs) {
        return new SimQuantizeNode(name, newInputs, output, tensor, spec);
    }
}
