package dev.qtune.experiments.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.config.SweepReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every combination of a sweep: each gets its experiment file ({@code OUT/NAME.yaml}, the
 * file its Spark executors read) and its run directory ({@code OUT/NAME/}); up to {@code parallel}
 * searches at once. A run that fails is recorded with its reason and the others go on. The sweep's
 * manifest, {@code OUT/sweep.json}, lists the runs, their values and how each ended.
 */
public final class SweepRunner {
    public static final String MANIFEST = "sweep.json";
    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    private SweepRunner() {}

    /** How one search of the sweep is run (target, executor, console): the caller's choice. */
    @FunctionalInterface
    public interface Search {
        SearchRunner.Result run(SweepReader.Run run, ExperimentConfig experiment);
    }

    /** One run's end: its result, or the error that stopped it. */
    public record Outcome(SweepReader.Run run, Path dir, Optional<SearchRunner.Result> result, String error) {
        public boolean ok() {
            return result.isPresent();
        }
    }

    public static List<Outcome> run(SweepReader.Sweep sweep, Path out, int parallel, Search search) {
        List<ExperimentConfig> experiments = writeRunFiles(sweep, out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "qtune-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SearchRunner.Result>> futures = new ArrayList<>();
            for (int i = 0; i < experiments.size(); i++) {
                SweepReader.Run run = sweep.runs().get(i);
                ExperimentConfig exp = experiments.get(i);
                futures.add(pool.submit(() -> search.run(run, exp)));
            }
            List<Outcome> outcomes = outcomes(sweep, experiments, futures);
            writeManifest(sweep, out, outcomes);
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes the sweep file and each run's experiment file under {@code out}: the runs' experiments. */
    private static List<ExperimentConfig> writeRunFiles(SweepReader.Sweep sweep, Path out) {
        List<ExperimentConfig> experiments = new ArrayList<>();
        try {
            Files.createDirectories(out);
            Files.copy(sweep.file(), out.resolve("sweep.yaml"), StandardCopyOption.REPLACE_EXISTING);
            for (SweepReader.Run r : sweep.runs()) {
                Path file = out.resolve(r.name() + ".yaml");
                Files.writeString(file, r.yaml());
                experiments.add(ExperimentReader.read(file).withOutput(out.resolve(r.name())));
            }
        } catch (IOException e) {
            throw new QtuneException("cannot write the sweep's files under " + out + ": " + e.getMessage(), e);
        }
        return experiments;
    }

    /** Waits for each run: its result, or the error that stopped it. */
    private static List<Outcome> outcomes(
            SweepReader.Sweep sweep, List<ExperimentConfig> experiments, List<Future<SearchRunner.Result>> futures) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            SweepReader.Run run = sweep.runs().get(i);
            Path dir = experiments.get(i).output();
            try {
                outcomes.add(new Outcome(run, dir, Optional.of(futures.get(i).get()), ""));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                LOG.warn("sweep run {} failed", run.name(), cause);
                outcomes.add(new Outcome(
                        run,
                        dir,
                        Optional.empty(),
                        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QtuneException("interrupted while the sweep ran", e);
            }
        }
        return outcomes;
    }

    private static void writeManifest(SweepReader.Sweep sweep, Path out, List<Outcome> outcomes) {
        ObjectNode root = TrialRecords.MAPPER.createObjectNode();
        root.put("sweep", sweep.name());
        root.put("file", sweep.file().toString());
        ArrayNode keys = root.putArray("keys");
        sweep.keys().forEach(keys::add);
        ArrayNode runs = root.putArray("runs");
        for (Outcome o : outcomes) {
            ObjectNode r = runs.addObject();
            r.put("name", o.run().name());
            r.put("group", o.run().group());
            if (o.run().seed().isPresent()) {
                r.put("seed", o.run().seed().getAsLong());
            }
            ObjectNode params = r.putObject("values");
            o.run().params().forEach(params::put);
            r.put("dir", out.relativize(o.dir()).toString());
            r.put("status", o.ok() ? "OK" : "FAILED");
            if (!o.ok()) {
                r.put("reason", o.error());
            }
        }
        try {
            AtomicFile.write(
                    out.resolve(MANIFEST),
                    TrialRecords.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the sweep manifest", e);
        }
    }
}
