package dev.qtune.compiler.quant;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.SimQuantizeNode;

/** Reads the calibrated scale of a quantization point, failing clearly if calibration has not run. */
record QuantSpecView(SimQuantizeNode node) {
    float scale() {
        if (!node.spec().isCalibrated()) {
            throw new QtuneException(
                    "SimQuantize node '" + node.name() + "' has no scale: run QuantizeCalibrate first");
        }
        return node.spec().scale();
    }
}
