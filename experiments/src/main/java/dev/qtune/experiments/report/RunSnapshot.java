package dev.qtune.experiments.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.experiments.run.RunDirectory;
import dev.qtune.experiments.run.TrialLog;
import dev.qtune.experiments.run.TrialLogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of one run directory as the report reads them (docs/formats.md): the trial log (required),
 * {@code pareto.json} and {@code progress.csv} (either may be missing while the first generation runs).
 *
 * @param dir the run directory
 * @param log the trials, torn last line skipped
 * @param pareto the root object of pareto.json, or a MissingNode
 * @param progress the rows of progress.csv, empty when absent
 */
record RunSnapshot(Path dir, TrialLog log, JsonNode pareto, List<ProgressRow> progress) {
    static final String TRIALS = RunDirectory.TRIALS;
    static final String PARETO = RunDirectory.PARETO;
    static final String PROGRESS = RunDirectory.PROGRESS;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    RunSnapshot {
        progress = List.copyOf(progress);
    }

    /** Reads a run directory; a missing directory or trial log, or a malformed file, is a one-line error. */
    static RunSnapshot load(Path dir) {
        if (!Files.exists(dir)) {
            throw new QtuneException("run directory not found: " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new QtuneException("not a run directory (not a directory): " + dir);
        }
        Path trials = dir.resolve(TRIALS);
        if (!Files.isRegularFile(trials)) {
            throw new QtuneException("not a run directory: " + trials + " not found");
        }
        TrialLog log = TrialLogReader.read(trials);
        Path progress = dir.resolve(PROGRESS);
        return new RunSnapshot(
                dir,
                log,
                readPareto(dir.resolve(PARETO)),
                Files.isRegularFile(progress) ? ProgressCsvReader.read(progress) : List.of());
    }

    private static JsonNode readPareto(Path file) {
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new QtuneException(file + ": expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new QtuneException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new QtuneException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The records of one kind ("search", "baseline", "final"), in log order. */
    List<ObjectNode> records(String kind) {
        return log.records().stream()
                .filter(r -> kind.equals(r.path("kind").asText()))
                .toList();
    }

    /** The trials proper: every record that is not a final re-measurement. */
    List<ObjectNode> trials() {
        return log.records().stream()
                .filter(r -> !"final".equals(r.path("kind").asText()))
                .toList();
    }

    /** The search or baseline trial with this id. */
    Optional<ObjectNode> trial(String id) {
        return trials().stream().filter(r -> id.equals(r.path("id").asText())).findFirst();
    }

    /** The measured points of one kind. */
    List<TrialPoint> points(String kind) {
        return records(kind).stream().flatMap(r -> TrialPoint.of(r).stream()).toList();
    }

    /** The first provenance value of this key among the trials, or "". */
    String provenance(String key) {
        return log.records().stream()
                .map(r -> r.path("provenance").path(key))
                .filter(n -> !n.isMissingNode() && !n.isNull())
                .map(JsonNode::asText)
                .findFirst()
                .orElse("");
    }
}
