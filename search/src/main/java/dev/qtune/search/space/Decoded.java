package dev.qtune.search.space;

import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfig;
import java.util.List;
import java.util.Objects;

/**
 * A genome decoded: the quant config and the (lenient) schedule config a trial compiles, the
 * per-layer choices, and the hash that identifies the decoded configuration. Genomes that differ
 * only in genes without effect (the bits of a layer left in fp32, its kernel knobs) decode to the
 * same hash, so the search evaluates them once.
 */
public record Decoded(
        Genome genome, QuantConfig qconfig, ScheduleConfig schedule, List<LayerChoice> layers, String configHash) {
    public Decoded {
        Objects.requireNonNull(genome, "genome");
        Objects.requireNonNull(qconfig, "qconfig");
        Objects.requireNonNull(schedule, "schedule");
        layers = List.copyOf(layers);
        Objects.requireNonNull(configHash, "configHash");
    }
}
