package dev.qtune.search.space;

import dev.qtune.compiler.lower.Knob;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.ActivationMode;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;
import dev.qtune.compiler.quant.LayerOverride;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.compiler.quant.QuantConfigWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Genome to configs. Each layer gets one override with an exact-name pattern on top of
 * {@code base} (whose global settings, such as calibration samples and boundary calibration, every
 * trial shares); a layer left in fp32 keeps only {@code skip: true}.
 */
public final class SpaceDecoder {
    private final SearchSpace space;
    private final QuantConfig base;

    public SpaceDecoder(SearchSpace space, QuantConfig base) {
        this.space = space;
        this.base = base;
    }

    public SearchSpace space() {
        return space;
    }

    public Decoded decode(Genome genome) {
        space.check(genome);
        List<LayerChoice> choices = new ArrayList<>();
        List<LayerOverride> overrides = new ArrayList<>();
        Map<String, Map<String, Integer>> schedule = new TreeMap<>();
        for (SearchSpace.LayerInfo l : space.layers()) {
            LayerChoice c = choice(genome, l);
            choices.add(c);
            overrides.add(override(c));
            if (!c.skip() && !c.knobs().isEmpty()) {
                schedule.put(l.name(), c.knobs());
            }
        }
        QuantConfig q = new QuantConfig(
                base.defaults(),
                overrides,
                base.calibrationSamples(),
                base.globalScale(),
                base.allowFp32Islands(),
                base.boundaryCalibration(),
                "trial " + genome);
        return new Decoded(genome, q, new ScheduleConfig(schedule, true), choices, hash(choices));
    }

    private LayerChoice choice(Genome g, SearchSpace.LayerInfo l) {
        boolean skip = Boolean.parseBoolean(label(g, l, GeneKind.SKIP));
        if (skip) {
            return new LayerChoice(
                    l.name(), l.op(), 32, 32, CalibrationMode.MAX, Granularity.PER_TENSOR, true, Map.of());
        }
        Map<String, Integer> knobs = new TreeMap<>();
        for (Knob k : l.knobs()) {
            knobs.put(k.name(), Integer.parseInt(space.label(g, new GeneKey(l.name(), k.name()))));
        }
        return new LayerChoice(
                l.name(),
                l.op(),
                Integer.parseInt(label(g, l, GeneKind.WEIGHT_BITS)),
                Integer.parseInt(label(g, l, GeneKind.ACTIVATION_BITS)),
                CalibrationMode.valueOf(label(g, l, GeneKind.CALIBRATION).toUpperCase(Locale.ROOT)),
                Granularity.valueOf(label(g, l, GeneKind.GRANULARITY).toUpperCase(Locale.ROOT)),
                false,
                knobs,
                ActivationMode.valueOf(label(g, l, GeneKind.ACTIVATION_MODE).toUpperCase(Locale.ROOT)));
    }

    private String label(Genome g, SearchSpace.LayerInfo l, GeneKind kind) {
        return space.label(g, GeneKey.of(l.name(), kind));
    }

    /** A layer's choices as an exact-name override: a layer left in fp32 keeps only {@code skip: true}. */
    static LayerOverride override(LayerChoice c) {
        var pattern = QuantConfigWriter.exactPattern(c.layer());
        if (c.skip()) {
            return new LayerOverride(
                    pattern,
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    OptionalDouble.empty(),
                    Optional.of(true),
                    Optional.empty());
        }
        return new LayerOverride(
                pattern,
                OptionalInt.of(c.weightBits()),
                OptionalInt.of(c.activationBits()),
                Optional.empty(),
                Optional.of(c.granularity()),
                Optional.of(c.calibration()),
                OptionalDouble.empty(),
                Optional.of(false),
                Optional.empty(),
                Optional.of(c.activationMode()));
    }

    /**
     * SHA-256 of the canonical text of the choices (the base config is the same for every trial of a
     * search). Knobs are written in name order, so the hash is the same in every JVM (a resumed
     * search decodes the logged genomes again in another process).
     */
    static String hash(List<LayerChoice> choices) {
        StringBuilder s = new StringBuilder();
        for (LayerChoice c : choices) {
            s.append(c.layer())
                    .append('|')
                    .append(
                            c.skip()
                                    ? "fp32"
                                    : c.weightBits() + "/" + c.activationBits() + "/"
                                            + c.calibration() + "/" + c.granularity() + "/"
                                            + new TreeMap<>(c.knobs())
                                            + (c.activationMode() == ActivationMode.SYMMETRIC
                                                    ? ""
                                                    : "/" + c.activationMode()))
                    .append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
