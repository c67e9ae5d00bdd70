package dev.qtune.search.sensitivity;

import dev.qtune.search.space.Gene;
import dev.qtune.search.space.GeneKey;
import dev.qtune.search.space.GeneKind;
import dev.qtune.search.space.Genome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The front an additive cost model predicts: a config's latency, divergence from fp32 and size are
 * the base config's plus the sum of its per-layer option deltas from the sensitivity table (the
 * model of HAWQ-V3, AMP and ModelOpt's auto_quantize). Solved exactly by dynamic programming over
 * the layers: each step combines the non-dominated partial configs with every option of the next
 * layer (every combination of its probed choices, or fp32) and keeps the non-dominated sums. No
 * heuristic can miss a point of the model's front, such as one layer in fp32 on top of another
 * calibration everywhere. Schedule knobs stay at their defaults. Should the kept set exceed
 * {@code cap} (very deep models with size as a third objective), it is thinned evenly along latency.
 */
public final class AdditiveFront {
    /** Combinations of one layer's choices beyond which a layer gets single-choice options only. */
    private static final int MAX_LAYER_OPTIONS = 512;

    /** A predicted point: the genome and its predicted absolute latency (ms), divergence (nats) and size (bytes). */
    public record Point(Genome genome, double latencyMs, double divergence, double sizeBytes) {}

    /** One choice for one layer: gene index -> value index, and its deltas. */
    private record Option(int[] genes, int[] values, double lat, double div, double size) {}

    /** A partial config: option index per layer so far, and its summed deltas. */
    private record Partial(int[] options, double lat, double div, double size) {}

    private AdditiveFront() {}

    public static List<Point> of(List<Gene> genes, SensitivityTable table, boolean withSize, int cap) {
        Map<GeneKey, Map<String, SensitivityEntry>> entries = table.succeeded();
        List<List<Option>> layers = new ArrayList<>();
        for (List<Integer> layerGenes : byLayer(genes).values()) {
            layers.add(options(genes, layerGenes, entries));
        }
        List<Partial> front = List.of(new Partial(new int[0], 0, 0, 0));
        for (List<Option> opts : layers) {
            List<Partial> next = new ArrayList<>(front.size() * opts.size());
            for (Partial p : front) {
                for (int o = 0; o < opts.size(); o++) {
                    Option x = opts.get(o);
                    int[] chosen = Arrays.copyOf(p.options(), p.options().length + 1);
                    chosen[chosen.length - 1] = o;
                    next.add(new Partial(chosen, p.lat() + x.lat(), p.div() + x.div(), p.size() + x.size()));
                }
            }
            front = thin(nonDominated(next, withSize), cap);
        }
        List<Point> out = new ArrayList<>();
        for (Partial p : front) {
            int[] values = new int[genes.size()];
            for (int l = 0; l < layers.size(); l++) {
                Option x = layers.get(l).get(p.options()[l]);
                for (int k = 0; k < x.genes().length; k++) {
                    values[x.genes()[k]] = x.values()[k];
                }
            }
            out.add(new Point(
                    Genome.of(values),
                    table.baseLatencyMs() + p.lat(),
                    table.baseDivergence() + p.div(),
                    table.baseSizeBytes() + p.size()));
        }
        out.sort(Comparator.comparingDouble(Point::latencyMs));
        return out;
    }

    private static Map<String, List<Integer>> byLayer(List<Gene> genes) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < genes.size(); i++) {
            if (genes.get(i).isQuantization()) {
                m.computeIfAbsent(genes.get(i).layer(), k -> new ArrayList<>()).add(i);
            }
        }
        return m;
    }

    /** A layer's options: the base (no change), every combination of its probed non-fp32 choices, and fp32. */
    private static List<Option> options(
            List<Gene> genes, List<Integer> layerGenes, Map<GeneKey, Map<String, SensitivityEntry>> entries) {
        List<Integer> quant = new ArrayList<>();
        List<List<Integer>> valuesOf = new ArrayList<>();
        long combos = 1;
        Option fp32 = null;
        for (int i : layerGenes) {
            Gene g = genes.get(i);
            List<Integer> known = new ArrayList<>(List.of(0));
            for (int v = 1; v < g.cardinality(); v++) {
                SensitivityEntry e = entry(entries, g, v);
                if (e == null) {
                    continue;
                }
                if (g.is(GeneKind.SKIP) && g.value(v).equals("true")) {
                    fp32 = new Option(new int[] {i}, new int[] {v}, e.dLatencyMs(), e.dDivergence(), e.dSizeBytes());
                } else {
                    known.add(v);
                }
            }
            if (known.size() > 1) {
                quant.add(i);
                valuesOf.add(known);
                combos *= known.size();
            }
        }
        List<Option> out = combos <= MAX_LAYER_OPTIONS
                ? combinations(genes, quant, valuesOf, entries)
                : singles(genes, quant, valuesOf, entries);
        if (fp32 != null) {
            out.add(fp32);
        }
        return out;
    }

    private static List<Option> combinations(
            List<Gene> genes,
            List<Integer> quant,
            List<List<Integer>> valuesOf,
            Map<GeneKey, Map<String, SensitivityEntry>> entries) {
        List<Option> out = new ArrayList<>();
        int[] idx = new int[quant.size()];
        while (true) {
            int[] gs = new int[quant.size()];
            int[] vs = new int[quant.size()];
            double lat = 0;
            double div = 0;
            double size = 0;
            for (int k = 0; k < quant.size(); k++) {
                gs[k] = quant.get(k);
                vs[k] = valuesOf.get(k).get(idx[k]);
                if (vs[k] != 0) {
                    SensitivityEntry e = entry(entries, genes.get(gs[k]), vs[k]);
                    lat += e.dLatencyMs();
                    div += e.dDivergence();
                    size += e.dSizeBytes();
                }
            }
            out.add(new Option(gs, vs, lat, div, size));
            int k = 0;
            while (k < idx.length && ++idx[k] == valuesOf.get(k).size()) {
                idx[k++] = 0;
            }
            if (k == idx.length) {
                return out;
            }
        }
    }

    private static List<Option> singles(
            List<Gene> genes,
            List<Integer> quant,
            List<List<Integer>> valuesOf,
            Map<GeneKey, Map<String, SensitivityEntry>> entries) {
        List<Option> out = new ArrayList<>(List.of(new Option(new int[0], new int[0], 0, 0, 0)));
        for (int k = 0; k < quant.size(); k++) {
            for (int v : valuesOf.get(k).subList(1, valuesOf.get(k).size())) {
                Gene g = genes.get(quant.get(k));
                SensitivityEntry e = entry(entries, g, v);
                out.add(new Option(
                        new int[] {quant.get(k)}, new int[] {v}, e.dLatencyMs(), e.dDivergence(), e.dSizeBytes()));
            }
        }
        return out;
    }

    /** The partials no other dominates (all costs minimised; ties keep the first). */
    static List<Partial> nonDominated(List<Partial> all, boolean withSize) {
        List<Partial> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingDouble(Partial::lat)
                .thenComparingDouble(Partial::div)
                .thenComparingDouble(Partial::size));
        List<Partial> keep = new ArrayList<>();
        double bestDiv = Double.POSITIVE_INFINITY;
        for (Partial p : sorted) {
            if (!withSize) {
                if (p.div() < bestDiv) {
                    keep.add(p);
                    bestDiv = p.div();
                }
                continue;
            }
            boolean dominated = false;
            for (Partial q : keep) {
                if (q.div() <= p.div() && q.size() <= p.size()) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                keep.add(p);
            }
        }
        return keep;
    }

    private static List<Partial> thin(List<Partial> front, int cap) {
        if (front.size() <= cap) {
            return front;
        }
        List<Partial> out = new ArrayList<>(cap);
        for (int i = 0; i < cap; i++) {
            out.add(front.get((int) ((long) i * (front.size() - 1) / (cap - 1))));
        }
        return out;
    }

    /** The succeeded probe of gene {@code g} at its value {@code v}, or null. */
    private static SensitivityEntry entry(Map<GeneKey, Map<String, SensitivityEntry>> entries, Gene g, int v) {
        return entries.getOrDefault(g.key(), Map.of()).get(g.value(v));
    }
}
