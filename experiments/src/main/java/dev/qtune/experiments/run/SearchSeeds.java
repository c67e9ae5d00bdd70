package dev.qtune.experiments.run;

import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.space.Genome;
import dev.qtune.search.space.SearchSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The genomes a search evaluates first, in this order: the base config with default schedules
 * (so the final front can never be dominated by the config a user would have used without
 * qtune), the uniform configs the space expresses (the base with every layer on one of the
 * space's calibration modes: "uniform int8 percentile" and the like), and the experiment's
 * {@code seeds:} files, each of which must be a point of the space.
 */
final class SearchSeeds {
    private SearchSeeds() {}

    static List<Genome> of(ExperimentConfig exp, SearchSpace space, QuantConfig base) {
        List<Genome> out = new ArrayList<>();
        out.add(space.firstValues());
        for (String mode : exp.space().allowed(GeneKind.CALIBRATION)) {
            space.encode(uniform(base, CalibrationMode.valueOf(mode.toUpperCase(Locale.ROOT))))
                    .ifPresent(out::add);
        }
        for (Path file : exp.seeds()) {
            QuantConfig q = QuantConfigReader.read(file);
            Optional<Genome> g = space.encode(q);
            if (g.isEmpty()) {
                throw new IllegalArgumentException(
                        exp.file() + ": seeds: " + file + " is not a point of the experiment's "
                                + "space (a layer's bits, calibration, granularity or fp32 choice is not among the space's values)");
            }
            out.add(g.get());
        }
        return out.stream().distinct().toList();
    }

    /** The base config with every layer's activation calibration set to {@code mode}. */
    static QuantConfig uniform(QuantConfig base, CalibrationMode mode) {
        LayerQuantConfig d = base.defaults();
        LayerQuantConfig moved = new LayerQuantConfig(
                d.weightBits(),
                d.activationBits(),
                d.weightScale(),
                d.granularity(),
                mode,
                d.percentile(),
                d.skip(),
                d.rounding(),
                d.activationMode());
        return new QuantConfig(
                moved,
                base.layers().stream()
                        .filter(o -> o.activationCalibration().isEmpty())
                        .toList(),
                base.calibrationSamples(),
                base.globalScale(),
                base.allowFp32Islands(),
                base.boundaryCalibration(),
                base.source() + " (" + mode.name().toLowerCase(Locale.ROOT) + " everywhere)");
    }
}
