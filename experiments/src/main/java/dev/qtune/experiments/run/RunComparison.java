package dev.qtune.experiments.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import dev.qtune.search.pareto.Hypervolume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Hypervolumes of several runs of one experiment against ONE reference point, so strategies and
 * seeds compare: top-1 at the strictest constraint of the runs (0 without one), latency at twice
 * the base config's (see {@link #referenceLatency}). Each run's hypervolume is that of its
 * feasible search trials after its first n trials, for n at each checkpoint (no checkpoints: the
 * smallest run's trial count).
 */
public final class RunComparison {
    private RunComparison() {}

    /** One run: its directory, strategy, seed and hypervolume at each checkpoint (trials done). */
    public record Row(Path dir, String strategy, long seed, int trials, Map<Integer, Double> hypervolume) {
        /** This row with the hypervolumes at {@code checkpoints} only (each one it has). */
        public Row at(List<Integer> checkpoints) {
            Map<Integer, Double> hv = new LinkedHashMap<>();
            checkpoints.forEach(n -> hv.put(n, hypervolume.get(n)));
            return new Row(dir, strategy, seed, trials, hv);
        }
    }

    public static List<Row> compare(List<Path> dirs, List<Integer> checkpoints) {
        return compare(dirs, smallest -> checkpoints.isEmpty() ? List.of(smallest) : checkpoints);
    }

    /** The hypervolumes after every trial count from 1 to the smallest run's (curves of HV against trials). */
    public static List<Row> compareEveryTrial(List<Path> dirs) {
        return compare(
                dirs,
                smallest ->
                        IntStream.rangeClosed(1, Math.max(1, smallest)).boxed().toList());
    }

    /** The checkpoint key under which {@link #compareFinal} reports a run's hypervolume. */
    public static final int FINAL = 0;

    /**
     * The hypervolume of each run's final re-measure: its search trials re-measured at the end (the
     * front and the base config, on the final split no trial was chosen on, timed side by side), so
     * a front whose accuracy was a lucky draw of the validation images counts for what it holds on
     * unseen ones. Latencies are taken relative to the run's own base config, which the final
     * re-measure timed side by side with its front (rotated rounds), so runs made at different
     * moments of a host, or beside other work, compare by what their fronts gain over the base;
     * reference point: top-1 at the strictest constraint of the runs, latency 2 (twice the base's).
     * If a run has no final record of the base config, absolute latencies are compared against
     * {@link #referenceLatency}. A run without final records has hypervolume 0.
     */
    public static List<Row> compareFinal(List<Path> dirs) {
        List<List<ObjectNode>> finals = new ArrayList<>();
        List<JsonNode> paretos = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        double minTop1 = 0;
        for (Path d : dirs) {
            List<ObjectNode> records =
                    TrialLogReader.read(d.resolve(RunDirectory.TRIALS)).records();
            List<ObjectNode> f = records.stream()
                    .filter(r -> r.path("kind").asText().equals("final")
                            && r.path("of").asText().startsWith("t"))
                    .toList();
            finals.add(f);
            sizes.add((int) records.stream()
                    .filter(r -> r.path("kind").asText().equals("search"))
                    .count());
            JsonNode p = pareto(d);
            paretos.add(p);
            minTop1 = Math.max(minTop1, p.path("constraint").path("min_top1").asDouble(0));
        }
        boolean relative = finals.stream().allMatch(f -> baseLatency(f) > 0);
        double[] reference = {1 - minTop1, relative ? 2 : referenceLatency(finals)};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            double unit = relative ? baseLatency(finals.get(i)) : 1;
            rows.add(new Row(
                    dirs.get(i),
                    paretos.get(i).path("strategy").asText("?"),
                    paretos.get(i).path("seed").asLong(),
                    sizes.get(i),
                    Map.of(FINAL, hypervolume(finals.get(i), minTop1, reference, unit))));
        }
        return rows;
    }

    /** Reads each run once; {@code checkpoints} gets the smallest run's trial count. */
    private static List<Row> compare(List<Path> dirs, IntFunction<List<Integer>> checkpoints) {
        List<List<ObjectNode>> logs = new ArrayList<>();
        List<JsonNode> paretos = new ArrayList<>();
        double minTop1 = 0;
        for (Path d : dirs) {
            List<ObjectNode> search = TrialLogReader.read(d.resolve(RunDirectory.TRIALS)).records().stream()
                    .filter(r -> r.path("kind").asText().equals("search"))
                    .toList();
            logs.add(search);
            JsonNode p = pareto(d);
            paretos.add(p);
            minTop1 = Math.max(minTop1, p.path("constraint").path("min_top1").asDouble(0));
        }
        double[] reference = {1 - minTop1, referenceLatency(logs)};
        List<Integer> at =
                checkpoints.apply(logs.stream().mapToInt(List::size).min().orElse(0));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Map<Integer, Double> hv = new LinkedHashMap<>();
            List<ObjectNode> log = new ArrayList<>(logs.get(i));
            log.sort(Comparator.comparingInt(r -> r.path("trial").asInt()));
            for (int n : at) {
                hv.put(n, hypervolume(log.subList(0, Math.min(n, log.size())), minTop1, reference, 1));
            }
            rows.add(new Row(
                    dirs.get(i),
                    paretos.get(i).path("strategy").asText("?"),
                    paretos.get(i).path("seed").asLong(),
                    log.size(),
                    hv));
        }
        return rows;
    }

    /**
     * The rows as markdown: one row per run, then the mean per group ({@code groupName}: what a group
     * is, e.g. "strategy"; {@code group}: a row's group).
     */
    public static String markdown(List<Row> rows, String groupName, Function<Row, String> group) {
        List<Integer> checkpoints = List.copyOf(rows.get(0).hypervolume().keySet());
        StringBuilder out = new StringBuilder();
        out.append(String.format("| run | strategy | seed | trials |%s%n", header(checkpoints)));
        out.append(String.format("|---|---|---|---|%s%n", "---|".repeat(checkpoints.size())));
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d |%s%n",
                    r.dir().getFileName(),
                    r.strategy(),
                    r.seed(),
                    r.trials(),
                    values(r.hypervolume(), checkpoints)));
            groups.computeIfAbsent(group.apply(r), k -> new ArrayList<>()).add(r);
        }
        out.append(String.format(
                "%nMean hypervolume per %s:%n| %s | runs |%s%n|---|---|%s%n",
                groupName, groupName, header(checkpoints), "---|".repeat(checkpoints.size())));
        for (var e : groups.entrySet()) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d |%s%n",
                    e.getKey(),
                    e.getValue().size(),
                    values(mean(e.getValue(), checkpoints), checkpoints)));
        }
        return out.toString();
    }

    /** The mean hypervolume of {@code rows} at each checkpoint. */
    public static Map<Integer, Double> mean(List<Row> rows, List<Integer> checkpoints) {
        Map<Integer, Double> mean = new LinkedHashMap<>();
        for (int n : checkpoints) {
            mean.put(
                    n,
                    rows.stream()
                            .mapToDouble(r -> r.hypervolume().get(n))
                            .average()
                            .orElse(0));
        }
        return mean;
    }

    private static String header(List<Integer> checkpoints) {
        StringBuilder s = new StringBuilder();
        checkpoints.forEach(n -> s.append(n == FINAL ? " HV of the final re-measure |" : " HV@" + n + " |"));
        return s.toString();
    }

    private static String values(Map<Integer, Double> hv, List<Integer> checkpoints) {
        StringBuilder s = new StringBuilder();
        checkpoints.forEach(n -> s.append(String.format(Locale.ROOT, " %.5f |", hv.get(n))));
        return s.toString();
    }

    /**
     * The reference latency: twice the base config's median (the genome of first values, which
     * every run measures; the slowest of its records over all runs). A quantized config at twice
     * uniform int8's latency is of no use, and with the reference that far out a front's accuracy
     * counts: a reference just above the slowest record (1.1 x) made a 1% timing difference between
     * runs of equally fast fronts move their hypervolumes by 10%. Runs without the base's record
     * fall back to 1.1 x the slowest successful record.
     */
    static double referenceLatency(List<List<ObjectNode>> runs) {
        double base = 0;
        double worst = 0;
        for (List<ObjectNode> run : runs) {
            base = Math.max(base, baseLatency(run));
            for (ObjectNode r : run) {
                if (r.path("status").asText().equals("OK")) {
                    worst = Math.max(worst, median(r));
                }
            }
        }
        return base > 0 ? 2 * base : 1.1 * worst;
    }

    /** The slowest median latency of the run's successful base-config records; 0 if it has none. */
    private static double baseLatency(List<ObjectNode> run) {
        double base = 0;
        for (ObjectNode r : run) {
            if (r.path("status").asText().equals("OK") && isBase(r.path("genome"))) {
                base = Math.max(base, median(r));
            }
        }
        return base;
    }

    private static double median(JsonNode record) {
        return record.path("metrics").path("latency_ms").path("median").asDouble(0);
    }

    /** Whether a record's genome takes every gene's first value (the base config). */
    private static boolean isBase(JsonNode genome) {
        if (!genome.isArray() || genome.isEmpty()) {
            return false;
        }
        for (JsonNode v : genome) {
            if (v.asInt(-1) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The hypervolume of the feasible records, latencies in units of {@code latencyUnit} ms. */
    private static double hypervolume(List<ObjectNode> trials, double minTop1, double[] reference, double latencyUnit) {
        List<double[]> points = new ArrayList<>();
        for (ObjectNode r : trials) {
            JsonNode m = r.path("metrics");
            if (r.path("status").asText().equals("OK") && m.path("top1").asDouble() >= minTop1) {
                points.add(new double[] {1 - m.path("top1").asDouble(), median(r) / latencyUnit});
            }
        }
        return points.isEmpty() ? 0 : Hypervolume.of(points, reference);
    }

    private static JsonNode pareto(Path dir) {
        try {
            return TrialRecords.MAPPER.readTree(Files.readString(dir.resolve(RunDirectory.PARETO)));
        } catch (IOException e) {
            throw new QtuneException("cannot read " + dir.resolve(RunDirectory.PARETO) + ": " + e.getMessage());
        }
    }
}
