package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.targets.CacheDir;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A search's run directory (docs/formats.md): {@code trials.jsonl} appended and flushed as each
 * trial ends, {@code pareto.json} and {@code progress.csv} after each generation, {@code best/*.yaml}
 * for the front, {@code experiment.yaml} (a copy of the experiment file) and {@code report.html}.
 * Files other than the trial log are replaced atomically (written beside, then moved). The search
 * that opens it holds its {@link RunLock} until it closes it; a second one is refused.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String TRIALS = "trials.jsonl";
    public static final String PARETO = "pareto.json";
    public static final String PROGRESS = "progress.csv";
    public static final String BEST = "best";
    public static final String EXPERIMENT = "experiment.yaml";
    public static final String PROGRESS_HEADER =
            "generation,trials,failures,hypervolume,front_size,best_top1,elapsed_s";

    private final Path dir;
    private final RunLock lock;
    private final OutputStream trials;

    private RunDirectory(Path dir, RunLock lock, OutputStream trials) {
        this.dir = dir;
        this.lock = lock;
        this.trials = trials;
    }

    /**
     * Opens a run directory for a new search (it must not hold a trial log yet) or, with
     * {@code resume}, for continuing one: the log's records are returned in {@code previous}, and a
     * torn last line (a search killed mid-write) is dropped from the file before anything is appended.
     */
    public static RunDirectory open(Path dir, Path experimentFile, boolean resume, List<ObjectNode> previous) {
        try {
            Files.createDirectories(dir.resolve(BEST));
        } catch (IOException e) {
            throw new QtuneException("cannot create run directory " + dir + ": " + CacheDir.reason(e), e);
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            deleteTemporaryFiles(dir);
            deleteTemporaryFiles(dir.resolve(BEST));
            OutputStream out = openLog(dir, experimentFile, resume, previous);
            return new RunDirectory(dir, lock, out);
        } catch (IOException e) {
            lock.close();
            throw new QtuneException("cannot write run directory " + dir + ": " + CacheDir.reason(e), e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static OutputStream openLog(Path dir, Path experimentFile, boolean resume, List<ObjectNode> previous)
            throws IOException {
        Path log = dir.resolve(TRIALS);
        if (Files.exists(log) && !resume) {
            throw new QtuneException(dir + " already holds a search (" + TRIALS + "); continue it with --resume, "
                    + "or choose another directory with --out");
        }
        if (resume && Files.exists(log)) {
            TrialLog read = TrialLogReader.read(log);
            previous.addAll(read.records());
            TrialLogReader.repair(log);
        }
        Files.copy(experimentFile, dir.resolve(EXPERIMENT), StandardCopyOption.REPLACE_EXISTING);
        // a resumed search replays every generation, so its rows are written again
        Files.writeString(dir.resolve(PROGRESS), PROGRESS_HEADER + "\n");
        return Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Removes the {@code .NAME.PID.tmp} files of {@link AtomicFile} left by a killed search (this one holds the lock now). */
    static void deleteTemporaryFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Appends one record as one line and flushes it to the operating system. */
    public synchronized void append(ObjectNode record) {
        try {
            trials.write((TrialRecords.MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
            trials.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(TRIALS), e);
        }
    }

    /** Replaces pareto.json. */
    public void writePareto(ObjectNode pareto) {
        try {
            replace(
                    PARETO,
                    TrialRecords.MAPPER
                                    .copy()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(pareto) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(PARETO), e);
        }
    }

    /** Appends one row to progress.csv. */
    public void appendProgress(String row) {
        try {
            Files.writeString(dir.resolve(PROGRESS), row + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(PROGRESS), e);
        }
    }

    /** Replaces best/ by the given quant configs (file name to YAML text). */
    public void writeBest(Map<String, String> files) {
        Path best = dir.resolve(BEST);
        try (var old = Files.list(best)) {
            for (Path p : old.toList()) {
                if (p.toString().endsWith(".yaml")
                        && !files.containsKey(p.getFileName().toString())) {
                    Files.delete(p);
                }
            }
            for (var e : files.entrySet()) {
                replace(BEST + "/" + e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + best, e);
        }
    }

    private void replace(String name, String text) {
        AtomicFile.write(dir.resolve(name), text);
    }

    @Override
    public void close() {
        try {
            trials.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.close();
        }
    }
}
