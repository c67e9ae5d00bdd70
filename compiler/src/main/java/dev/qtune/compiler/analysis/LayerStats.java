package dev.qtune.compiler.analysis;

import dev.qtune.compiler.ir.Shape;

/** Per-node figures for one image: output shape, multiply-accumulates and trainable parameters. */
public record LayerStats(String name, String op, Shape outputShape, long macs, long params) {
    public LayerStats {
        if (macs < 0 || params < 0) {
            throw new IllegalArgumentException(
                    "layer '" + name + "' macs and params must be >= 0, but were " + macs + " and " + params);
        }
    }
}
