package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.QuantSpec;

/**
 * A value of the realized graph in integer form: its name there, its scale, range, storage type and
 * zero point (real = (q - zeroPoint) * scale).
 */
record IntValue(String name, float scale, IntRange range, DType dtype, int zeroPoint) {
    /** The integer form of a quantization point's output, named {@code name}. */
    static IntValue of(String name, float scale, QuantSpec spec) {
        return new IntValue(name, scale, spec.range(), spec.storage(), spec.zeroPoint());
    }

    IntValue renamed(String newName) {
        return new IntValue(newName, scale, range, dtype, zeroPoint);
    }
}
