package dev.qtune.compiler.quant;

import dev.qtune.compiler.ir.DType;

/** A value of the realized graph in integer form: its name there, its scale, range and storage type. */
record IntValue(String name, float scale, IntRange range, DType dtype) {
}
