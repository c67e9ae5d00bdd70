package dev.qtune.search.space;

import dev.qtune.compiler.analysis.QuantizedLayer;
import dev.qtune.compiler.ir.QuantSpec;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;
import dev.qtune.compiler.quant.LayerOverride;
import dev.qtune.compiler.quant.PreQuantizedModel;
import dev.qtune.compiler.quant.QuantConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Decoded} of a baseline, a pre-quantized model evaluated as a reference point: no
 * genome (the search did not choose it), the per-layer choices read from the imported graph
 * (per Conv, Gemm and MatMul: weight bits and granularity of its weight, activation bits of its
 * quantized output or input; fp32 where it has no integer weight), a quant config holding those choices as
 * exact-name overrides (what the model's size is counted with), the targets' default schedules,
 * and the file's SHA-256 as the config hash. The calibration mode of a choice means nothing here:
 * the scales are the file's.
 */
public final class BaselineDecoder {
    private static final Genome NO_GENOME = new Genome(List.of());
    /** The ops a search chooses per layer (those with an integer kernel: QConv, QDense). */
    private static final Set<String> LAYER_OPS = Set.of("Conv", "Gemm", "MatMul");

    private BaselineDecoder() {}

    /** The choices of an imported model whose file has SHA-256 {@code fileSha256}. */
    public static Decoded decode(PreQuantizedModel model, String fileSha256) {
        List<LayerChoice> choices = new ArrayList<>();
        List<LayerOverride> overrides = new ArrayList<>();
        for (QuantizedLayer l : QuantizedLayer.of(model.simulated())) {
            if (LAYER_OPS.contains(l.op())) {
                LayerChoice c = choice(l);
                choices.add(c);
                overrides.add(SpaceDecoder.override(c));
            }
        }
        QuantConfig d = QuantConfig.defaultConfig();
        QuantConfig q = new QuantConfig(
                d.defaults(),
                overrides,
                d.calibrationSamples(),
                d.globalScale(),
                d.allowFp32Islands(),
                d.boundaryCalibration(),
                model.source());
        return new Decoded(NO_GENOME, q, ScheduleConfig.EMPTY, choices, fileSha256);
    }

    /** The Decoded of a baseline whose file could not be read or imported: no layers, and the hash if known. */
    public static Decoded unread(String fileSha256) {
        return new Decoded(NO_GENOME, QuantConfig.defaultConfig(), ScheduleConfig.EMPTY, List.of(), fileSha256);
    }

    private static LayerChoice choice(QuantizedLayer l) {
        Optional<QuantSpec> activation = l.output().or(l::input);
        if (l.weight().isEmpty() || activation.isEmpty()) {
            return new LayerChoice(
                    l.name(), l.op(), 32, 32, CalibrationMode.MAX, Granularity.PER_TENSOR, true, Map.of());
        }
        QuantSpec w = l.weight().get();
        return new LayerChoice(
                l.name(),
                l.op(),
                w.config().weightBits(),
                activation.get().storage().bits(),
                CalibrationMode.MAX,
                w.axis() >= 0 ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR,
                false,
                Map.of());
    }
}
