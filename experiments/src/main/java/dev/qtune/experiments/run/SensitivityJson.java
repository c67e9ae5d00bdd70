package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.search.sensitivity.SensitivityEntry;
import dev.qtune.search.sensitivity.SensitivityTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** sensitivity.json (docs/formats.md): a {@link SensitivityTable} as JSON, and back. */
public final class SensitivityJson {
    private static final Logger LOG = LoggerFactory.getLogger(SensitivityJson.class);

    private SensitivityJson() {}

    public static ObjectNode toJson(SensitivityTable t) {
        ObjectNode o = TrialRecords.MAPPER.createObjectNode();
        o.putObject("base")
                .put("divergence", t.baseDivergence())
                .put("top1", t.baseTop1())
                .put("agreement", t.baseAgreement())
                .put("latency_ms", t.baseLatencyMs())
                .put("size_bytes", t.baseSizeBytes())
                .put("noise_ms", t.noiseMs())
                .put("samples", t.samples());
        var entries = o.putArray("entries");
        for (SensitivityEntry e : t.entries()) {
            ObjectNode x = entries.addObject()
                    .put("layer", e.layer())
                    .put("kind", e.kind())
                    .put("value", e.value())
                    .put("ok", e.ok());
            if (!e.ok()) {
                x.put("reason", e.reason());
                continue;
            }
            x.put("d_divergence", e.dDivergence())
                    .put("d_top1", e.dTop1())
                    .put("d_agreement", e.dAgreement())
                    .put("d_latency_ms", e.dLatencyMs())
                    .put("d_size_bytes", e.dSizeBytes());
        }
        return o;
    }

    public static SensitivityTable fromJson(JsonNode o) {
        JsonNode b = o.path("base");
        List<SensitivityEntry> entries = new ArrayList<>();
        for (JsonNode e : o.path("entries")) {
            entries.add(new SensitivityEntry(
                    e.path("layer").asText(),
                    e.path("kind").asText(),
                    e.path("value").asText(),
                    e.path("ok").asBoolean(),
                    e.path("reason").asText(""),
                    e.path("d_divergence").asDouble(),
                    e.path("d_top1").asDouble(),
                    e.path("d_agreement").asDouble(),
                    e.path("d_latency_ms").asDouble(),
                    e.path("d_size_bytes").asDouble()));
        }
        return new SensitivityTable(
                b.path("divergence").asDouble(),
                b.path("top1").asDouble(),
                b.path("agreement").asDouble(),
                b.path("latency_ms").asDouble(),
                b.path("size_bytes").asLong(),
                b.path("noise_ms").asDouble(),
                b.path("samples").asInt(),
                entries);
    }

    /** The table in {@code file}, or empty when it is missing or unreadable (then it is measured again). */
    static Optional<SensitivityTable> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(TrialRecords.MAPPER.readTree(file.toFile())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("unreadable sensitivity table {} ({}); measuring again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes atomically; a file that cannot be written only costs a later rerun. */
    static void write(Path file, SensitivityTable t) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sensitivity", ".tmp");
            TrialRecords.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), toJson(t));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write the sensitivity table {}: {}", file, e.getMessage());
        }
    }
}
