package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the trials' time went: per phase the mean and the total over the trials that recorded
 * it, the first trial's total (cold caches) and the warm-cache trial time, the median total of
 * the trials after the first.
 *
 * @param phases calibrate, quantize, compile, accuracy, latency and total, in that order
 * @param trials the number of trials with a time split
 * @param firstTotalS the first trial's total seconds, NaN without trials
 * @param warmMedianS the median total of the later trials, NaN with fewer than two trials
 */
record TimeSplit(List<Phase> phases, int trials, double firstTotalS, double warmMedianS) {
    static final List<String> PHASES = List.of("calibrate", "quantize", "compile", "accuracy", "latency", "total");

    /** One phase: mean and total seconds over the {@code count} trials that recorded it. */
    record Phase(String name, int count, double meanS, double totalS) {}

    TimeSplit {
        phases = List.copyOf(phases);
    }

    /** The split of the trials (search and baseline records; final re-measurements excluded). */
    static TimeSplit of(List<ObjectNode> trials) {
        List<ObjectNode> timed = new ArrayList<>(
                trials.stream().filter(t -> t.path("times_s").isObject()).toList());
        timed.sort(Comparator.comparingInt(t -> t.path("trial").asInt(Integer.MAX_VALUE)));
        List<Phase> phases = new ArrayList<>();
        for (String name : PHASES) {
            int count = 0;
            double total = 0;
            for (ObjectNode t : timed) {
                JsonNode v = t.path("times_s").path(name);
                if (v.isNumber()) {
                    count++;
                    total += v.asDouble();
                }
            }
            phases.add(
                    new Phase(name, count, count == 0 ? Double.NaN : total / count, count == 0 ? Double.NaN : total));
        }
        double first = timed.isEmpty()
                ? Double.NaN
                : TrialPoint.number(timed.get(0).path("times_s").path("total"));
        double[] later = timed.stream()
                .skip(1)
                .map(t -> t.path("times_s").path("total"))
                .filter(JsonNode::isNumber)
                .mapToDouble(JsonNode::asDouble)
                .sorted()
                .toArray();
        return new TimeSplit(phases, timed.size(), first, median(later));
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
