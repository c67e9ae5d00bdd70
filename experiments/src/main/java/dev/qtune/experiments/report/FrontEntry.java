package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One member of the Pareto front of accuracy against latency.
 *
 * @param id the trial id
 * @param top1 top-1 in 0..1
 * @param latencyMs median latency
 * @param sizeBytes model size, NaN when unknown
 * @param qconfig the quant config's path relative to the run directory ("best/t0007.yaml"), or ""
 */
record FrontEntry(String id, double top1, double latencyMs, double sizeBytes, String qconfig) {

    /**
     * The front, fastest first: pareto.json's when it has one, else the non-dominated feasible
     * search trials of the log (see {@link #fromPareto(RunSnapshot)}).
     */
    static List<FrontEntry> of(RunSnapshot run) {
        List<FrontEntry> front = new ArrayList<>();
        if (fromPareto(run)) {
            for (JsonNode f : run.pareto().path("front")) {
                front.add(new FrontEntry(
                        f.path("id").asText("?"),
                        TrialPoint.number(TrialPoint.accuracy(f)),
                        TrialPoint.number(f.path("latency_ms")),
                        TrialPoint.number(f.path("size_bytes")),
                        f.path("qconfig").asText("")));
            }
        } else {
            for (TrialPoint p : nonDominated(
                    run.points("search").stream().filter(TrialPoint::feasible).toList())) {
                front.add(new FrontEntry(p.id(), p.top1(), p.latencyMs(), p.sizeBytes(), ""));
            }
        }
        front.sort(Comparator.comparingDouble(FrontEntry::latencyMs).thenComparing(FrontEntry::top1));
        return front;
    }

    /** Whether the front comes from pareto.json (false: computed from the trial log). */
    static boolean fromPareto(RunSnapshot run) {
        return run.pareto().path("front").isArray();
    }

    /** The points that no other point beats on both accuracy (higher) and latency (lower). */
    static List<TrialPoint> nonDominated(List<TrialPoint> points) {
        List<TrialPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(TrialPoint::latencyMs)
                .thenComparing(Comparator.comparingDouble(TrialPoint::top1).reversed()));
        List<TrialPoint> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (TrialPoint p : sorted) {
            if (p.top1() > best) {
                front.add(p);
                best = p.top1();
            }
        }
        return front;
    }
}
