package dev.qtune.targets.codegen;

import dev.qtune.compiler.QtuneException;
import dev.qtune.targets.CacheDir;
import dev.qtune.targets.HostCpu;
import dev.qtune.targets.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The best measured schedule of each layer task on one target and host (AutoTVM's tuning log):
 * {@code <cache>/tuning/<target>-<host hash>.tsv}, one line per tuned task, appended by
 * {@code qtune tune} (ScheduleTuner), read by the code generator, which gives a
 * layer its task's best schedule wherever the config sets none for it. A later line for a task
 * replaces an earlier one. Lines are {@code task \t knob=value,... \t best ms \t default ms
 * \t threads}; a line that does not parse is skipped.
 */
public final class TuningLog {
    /** The empty log: every layer takes its default schedule. */
    public static final TuningLog NONE = new TuningLog(null, Map.of());

    static final String FOLDER = "tuning";
    private static final long MAX_BYTES = 16L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(TuningLog.class);

    /** A tuned task: its best schedule, that schedule's and the default's per-layer time. */
    public record Entry(String task, Map<String, Integer> knobs, double bestMs, double defaultMs, int threads) {
        public Entry {
            knobs = Map.copyOf(new TreeMap<>(knobs));
        }

        String line() {
            StringBuilder k = new StringBuilder();
            new TreeMap<>(knobs)
                    .forEach((n, v) -> k.append(k.isEmpty() ? "" : ",")
                            .append(n)
                            .append('=')
                            .append(v));
            return String.format(Locale.ROOT, "%s\t%s\t%.6f\t%.6f\t%d%n", task, k, bestMs, defaultMs, threads);
        }

        static Optional<Entry> parse(String line) {
            String[] f = line.split("\t");
            if (f.length != 5) {
                return Optional.empty();
            }
            try {
                Map<String, Integer> knobs = new HashMap<>();
                for (String kv : f[1].split(",")) {
                    String[] p = kv.split("=");
                    knobs.put(p[0], Integer.parseInt(p[1]));
                }
                return Optional.of(new Entry(
                        f[0], knobs, Double.parseDouble(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private final Path file;
    private final Map<String, Entry> best;

    private TuningLog(Path file, Map<String, Entry> best) {
        this.file = file;
        this.best = Map.copyOf(best);
    }

    /** The log file of a target on this host, under the cache folder. */
    public static Path file(Path cacheDir, Target target) {
        HostCpu host = HostCpu.detect();
        String id = CArrays.shortHash(
                host.arch() + "\n" + host.modelName() + "\n" + String.join(" ", new TreeSet<>(host.flags())));
        return cacheDir.resolve(FOLDER).resolve(target.name() + "-" + id + ".tsv");
    }

    /** The log of a target on this host (empty when none was written). */
    public static TuningLog load(Path cacheDir, Target target) {
        Path f = file(cacheDir, target);
        Map<String, Entry> best = new HashMap<>();
        try {
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.size(f) <= MAX_BYTES) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Entry.parse(line)
                            .ifPresentOrElse(
                                    e -> best.put(e.task(), e),
                                    () -> LOG.debug("skipping a tuning log line of {} that does not parse", f));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read the tuning log {}: {}; default schedules are used", f, e.toString());
        }
        return new TuningLog(f, best);
    }

    /** The best known schedule of a task, if it was tuned. */
    public Optional<Map<String, Integer>> best(String task) {
        return Optional.ofNullable(best.get(task)).map(Entry::knobs);
    }

    public boolean has(String task) {
        return best.containsKey(task);
    }

    /** The tuned tasks. */
    public Map<String, Entry> entries() {
        return best;
    }

    /** Appends entries to the log file and returns the log with them. */
    public TuningLog append(List<Entry> entries) {
        if (file == null) {
            throw new IllegalStateException("the empty log has no file");
        }
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.line()));
        try {
            CacheDir.secure(file.getParent().getParent(), FOLDER);
            // one write of whole lines: concurrent appends by two processes do not interleave within a line
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new QtuneException("cannot write the tuning log " + file + ": " + CacheDir.reason(e), e);
        }
        Map<String, Entry> merged = new HashMap<>(best);
        entries.forEach(e -> merged.put(e.task(), e));
        return new TuningLog(file, merged);
    }
}
