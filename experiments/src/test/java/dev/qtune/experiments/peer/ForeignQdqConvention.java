package dev.qtune.experiments.peer;

/**
 * The ways other tools lay out a pre-quantized ONNX model, for {@link ForeignQdqWriter}: each one a
 * convention that qtune's own exporter (symmetric, zero point 0, per-channel int8 weights) never
 * writes, so that the importer is tested on files it did not write.
 *
 * <ul>
 *   <li>{@link #U8_ASYMMETRIC}: ONNX Runtime's {@code quantize_static} defaults (QDQ format,
 *       {@code activation_type=QUInt8}, {@code weight_type=QInt8}, {@code per_channel=True}):
 *       uint8 activations with a min/max zero point, int8 weights symmetric per output channel.</li>
 *   <li>{@link #U8_ZP128_PER_TENSOR}: uint8 activations symmetric around the zero point 128 (where
 *       ONNX Runtime's QUInt8 with {@code ActivationSymmetric=True} also puts it), scale
 *       max|x| / 127, and one int8 scale per weight tensor ({@code per_channel=False}).</li>
 *   <li>{@link #S8_ASYMMETRIC}: int8 activations with a min/max zero point (after a Relu it is
 *       -128) and uint8 weights with the zero point 128, per tensor (ONNX Runtime's
 *       {@code weight_type=QUInt8} with {@code WeightSymmetric=True}).</li>
 *   <li>{@link #QLINEAR}: ONNX Runtime's QOperator format with {@link #U8_ASYMMETRIC}'s
 *       activations: Conv becomes QLinearConv (int32 bias input) and Gemm/MatMul QLinearMatMul
 *       followed by the bias Add; the Relu after such a layer is dropped (its range is the layer's
 *       output range, whose zero point is then 0, so saturation is the Relu); the other ops keep the
 *       QDQ form. Weights are int8 per channel with ORT's {@code reduce_range=True} (7 bits:
 *       [-64, 64], scale max|w| / 64), which ORT recommends for U8S8 models on x86 without VNNI:
 *       there its QLinearConv multiplies with VPMADDUBSW, whose int16 pair sums saturate for
 *       2 x 255 x 127, and since a QOperator file runs those kernels even with optimisation off,
 *       full-range weights would make ORT, the reference, inexact (resnet8_fashion: 87% instead of
 *       93% on an AVX2 host).</li>
 *   <li>{@link #U8_ASYMMETRIC_WEIGHTS}: {@link #U8_ASYMMETRIC}'s activations and uint8 weights
 *       with a min/max zero point per tensor: ONNX Runtime's {@code weight_type=QUInt8} with its
 *       default {@code WeightSymmetric=False} and {@code per_channel=False}. Their integers less the
 *       zero point span up to [-255, 255], beyond int8, so qtune carries them as int16.</li>
 *   <li>{@link #S8_SYMMETRIC_PER_TENSOR}: int8 activations symmetric with zero point 0 (scale
 *       max|x| / 127, QuantizeLinear's full [-128, 127] range) and per-tensor int8 weights: ONNX
 *       Runtime's {@code ActivationSymmetric=True, per_channel=False}; the one convention here that
 *       qtune's symmetric integer graph takes without zero points.</li>
 * </ul>
 */
enum ForeignQdqConvention {
    U8_ASYMMETRIC(Activations.U8_ASYMMETRIC, Weights.I8_SYMMETRIC, true, false),
    U8_ZP128_PER_TENSOR(Activations.U8_ZERO_POINT_128, Weights.I8_SYMMETRIC, false, false),
    S8_ASYMMETRIC(Activations.S8_ASYMMETRIC, Weights.U8_ZERO_POINT_128, false, false),
    QLINEAR(Activations.U8_ASYMMETRIC, Weights.I8_SYMMETRIC_7_BITS, true, true),
    S8_SYMMETRIC_PER_TENSOR(Activations.S8_SYMMETRIC, Weights.I8_SYMMETRIC, false, false),
    U8_ASYMMETRIC_WEIGHTS(Activations.U8_ASYMMETRIC, Weights.U8_ASYMMETRIC, false, false);

    /** How an activation's scale and zero point follow from its calibrated range. */
    enum Activations {
        /** uint8; range widened to include 0; scale (max - min) / 255, zero point rint(-min / scale). */
        U8_ASYMMETRIC(OnnxType.UINT8),
        /** uint8; scale max|x| / 127, zero point 128. */
        U8_ZERO_POINT_128(OnnxType.UINT8),
        /** int8; range widened to include 0; scale (max - min) / 255, zero point rint(-128 - min / scale). */
        S8_ASYMMETRIC(OnnxType.INT8),
        /** int8; scale max|x| / 127, zero point 0. */
        S8_SYMMETRIC(OnnxType.INT8);

        final OnnxType type;

        Activations(OnnxType type) {
            this.type = type;
        }
    }

    /** How a weight tensor (or one output channel of it) is stored. */
    enum Weights {
        /** int8, scale max|w| / 127, zero point 0: integers in [-127, 127]. */
        I8_SYMMETRIC(OnnxType.INT8, 0, 127),
        /** int8, scale max|w| / 64, zero point 0: integers in [-64, 64] (ORT's reduce_range). */
        I8_SYMMETRIC_7_BITS(OnnxType.INT8, 0, 64),
        /** uint8, scale max|w| / 127, zero point 128: integers rint(w / s) + 128 in [1, 255]. */
        U8_ZERO_POINT_128(OnnxType.UINT8, 128, 127),
        /**
         * uint8, range widened to include 0, scale (max - min) / 255, zero point rint(-min / scale)
         * (so {@link #zeroPoint} and {@link #maxMagnitude} are unused: -1).
         */
        U8_ASYMMETRIC(OnnxType.UINT8, -1, -1);

        final OnnxType type;
        final int zeroPoint;
        /** The integer that max|w| maps to (before the zero point). */
        final int maxMagnitude;

        Weights(OnnxType type, int zeroPoint, int maxMagnitude) {
            this.type = type;
            this.zeroPoint = zeroPoint;
            this.maxMagnitude = maxMagnitude;
        }
    }

    final Activations activations;
    final Weights weights;
    /** One weight scale per output channel (else one per tensor). */
    final boolean perChannelWeights;
    /** QOperator format: QLinearConv and QLinearMatMul instead of Conv and Gemm/MatMul in QDQ form. */
    final boolean quantizedOperators;

    ForeignQdqConvention(
            Activations activations, Weights weights, boolean perChannelWeights, boolean quantizedOperators) {
        this.activations = activations;
        this.weights = weights;
        this.perChannelWeights = perChannelWeights;
        this.quantizedOperators = quantizedOperators;
    }
}
