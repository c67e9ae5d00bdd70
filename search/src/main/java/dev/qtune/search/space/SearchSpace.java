package dev.qtune.search.space;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.lower.Knob;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.quant.AnnotateRules;
import dev.qtune.compiler.quant.FusedActivation;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.NonNegative;
import dev.qtune.compiler.quant.QuantConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The joint per-layer space of a model on a target: for each quantizable layer, genes for weight
 * bits, activation bits, activation calibration, weight granularity and fp32 fall-back, and (when
 * the spec searches schedules) the knobs of the layer's integer kernel. A gene restricted to one
 * value (by the spec's allowed values, a fixed layer, or a knob with a single valid candidate) is
 * not a gene: it is held in {@link #held()} and applied by every decode.
 */
public final class SearchSpace {
    /** int32 lanes of a 512-bit vector: the AVX-512 VNNI target, whose 8-bit dot is exact for every layer. */
    private static final int VNNI_LANES = 16;

    private final List<Gene> genes;
    private final Map<GeneKey, String> held;
    private final List<LayerInfo> layers;
    private final Map<GeneKey, Integer> index = new HashMap<>();

    /** A quantizable layer: its name, op, and its kernel's knobs (schedule defaults and candidates). */
    public record LayerInfo(String name, String op, List<Knob> knobs) {
        public LayerInfo {
            knobs = List.copyOf(knobs);
        }
    }

    private SearchSpace(List<Gene> genes, Map<GeneKey, String> held, List<LayerInfo> layers) {
        this.genes = List.copyOf(genes);
        this.held = Collections.unmodifiableMap(new LinkedHashMap<>(held));
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.genes.size(); i++) {
            index.put(this.genes.get(i).key(), i);
        }
    }

    /** The space of a prepared fp32 graph on qtune's default config (see the four-argument form). */
    public static SearchSpace of(Graph fp32, int lanes, SpaceSpec spec) {
        return of(fp32, lanes, spec, QuantConfig.defaultConfig());
    }

    /**
     * The space of a prepared fp32 graph for a target whose int32 vectors have {@code lanes} lanes,
     * around the base config {@code base}: each gene's first value is the base config's choice for
     * that layer (added when the spec does not list it, so the base config is always a point of
     * the space, {@link #firstValues()}), and each knob's first value is its default. Fails with a
     * message naming the kind or layer when the spec gives no allowed value.
     */
    public static SearchSpace of(Graph fp32, int lanes, SpaceSpec spec, QuantConfig base) {
        List<Gene> genes = new ArrayList<>();
        Map<GeneKey, String> held = new LinkedHashMap<>();
        List<LayerInfo> layers = new ArrayList<>();
        spec.checkPatterns(AnnotateRules.quantizableLayers(fp32));
        for (String name : AnnotateRules.quantizableLayers(fp32)) {
            Node n = fp32.node(name);
            // Without schedule search a layer carries only the knobs the spec fixes: the others stay
            // unset, so the emitter picks its own default for the precision the layer ends up with.
            List<Knob> knobs = knobs(fp32, n, lanes).stream()
                    .filter(k ->
                            spec.schedule() || spec.fixedValue(name, k.name()).isPresent())
                    .toList();
            layers.add(new LayerInfo(name, n.opType(), knobs));
            LayerQuantConfig lc = base.forLayer(name);
            for (GeneKind kind : GeneKind.values()) {
                List<String> values = spec.fixedValue(name, kind.label())
                        .map(List::of)
                        .orElse(
                                kind == GeneKind.ACTIVATION_MODE && !mayBeNegative(fp32, n)
                                        ? List.of(kind.of(lc))
                                        : baseFirst(kind.of(lc), spec.allowed(kind)));
                add(genes, held, name, kind.label(), values, kind.ordered());
            }
            for (Knob knob : knobs) {
                List<String> values = spec.schedule()
                        ? baseFirst(
                                String.valueOf(knob.defaultValue()),
                                knob.candidates().stream().map(String::valueOf).toList())
                        : List.of(String.valueOf(knob.defaultValue()));
                values = spec.fixedValue(name, knob.name()).map(List::of).orElse(values);
                add(genes, held, name, knob.name(), values, true);
            }
        }
        return new SearchSpace(genes, held, layers);
    }

    /**
     * Whether a layer reads or writes a value that may be negative (an input not non-negative by
     * construction, or an output without a fused ReLU/Clip): only there does the activation mode
     * change anything, so only there is it a gene.
     */
    private static boolean mayBeNegative(Graph g, Node n) {
        return !NonNegative.of(g, n.inputs().get(0))
                || FusedActivation.reading(g, n.output()).isEmpty();
    }

    /** {@code values} with {@code first} moved (or added) to the front; none stays none (an error in {@link #add}). */
    private static List<String> baseFirst(String first, List<String> values) {
        if (values == null || values.isEmpty()) {
            return values;
        }
        List<String> out = new ArrayList<>(values.size() + 1);
        out.add(first);
        values.stream().filter(v -> !v.equals(first)).forEach(out::add);
        return out;
    }

    private static void add(
            List<Gene> genes,
            Map<GeneKey, String> held,
            String layer,
            String kind,
            List<String> values,
            boolean ordered) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("layer '" + layer + "': no allowed value for " + kind);
        }
        if (values.size() == 1) {
            held.put(new GeneKey(layer, kind), values.get(0));
        } else {
            genes.add(new Gene(layer, kind, values, ordered));
        }
    }

    /**
     * The integer kernel's knobs of a layer: a group-1 convolution or a dense layer takes the
     * direct kernel's space (oc_block, ow_tile) and the dot width; other kernels have none.
     */
    private static List<Knob> knobs(Graph g, Node n, int lanes) {
        if (n instanceof Conv2dNode c && c.group() != 1) {
            return List.of();
        }
        Shape out = g.type(n.output()).shape();
        int channels = out.rank() == 4 ? out.dim(1) : out.dim(out.rank() - 1);
        int width = out.rank() == 4 ? out.dim(3) : 1;
        int dot = lanes >= VNNI_LANES ? 8 : 16;
        List<Knob> knobs = new ArrayList<>(ConvSchedules.space(TensorStorage.roundUp(channels, 4), width, lanes, dot));
        // With 512-bit vectors (AVX-512 VNNI) dot 8 is exact for every 8-bit layer and never slower:
        // dot 16 there is dominated by construction, so it is no gene.
        knobs.add(lanes >= VNNI_LANES ? new Knob(ConvSchedules.DOT, List.of(8), 8) : ConvSchedules.dot(true));
        return knobs;
    }

    public List<Gene> genes() {
        return genes;
    }

    /** Choices held at one value, by gene. */
    public Map<GeneKey, String> held() {
        return held;
    }

    public List<LayerInfo> layers() {
        return layers;
    }

    /** The label a genome gives a gene: its value, or the held value. */
    public String label(Genome genome, GeneKey key) {
        Integer i = index.get(key);
        if (i != null) {
            return genes.get(i).value(genome.get(i));
        }
        String v = held.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no gene or held value for " + key);
        }
        return v;
    }

    /** Fails unless {@code genome} has one in-range value per gene. */
    public void check(Genome genome) {
        if (genome.size() != genes.size()) {
            throw new IllegalArgumentException(
                    "genome must have " + genes.size() + " values, but has " + genome.size());
        }
        for (int i = 0; i < genes.size(); i++) {
            if (genome.get(i) >= genes.get(i).cardinality()) {
                throw new IllegalArgumentException(
                        "genome value " + i + " (" + genes.get(i).key() + ") must be < "
                                + genes.get(i).cardinality() + ", but was " + genome.get(i));
            }
        }
    }

    /**
     * The genome of a quant config with default schedules, if the space holds it: every gene's value
     * and every held value must be what {@code q} says for its layer.
     */
    public Optional<Genome> encode(QuantConfig q) {
        Map<GeneKey, String> want = new HashMap<>();
        for (LayerInfo l : layers) {
            LayerQuantConfig c = q.forLayer(l.name());
            for (GeneKind kind : GeneKind.values()) {
                want.put(GeneKey.of(l.name(), kind), c.skip() && kind != GeneKind.SKIP ? null : kind.of(c));
            }
            for (Knob k : l.knobs()) {
                want.put(new GeneKey(l.name(), k.name()), c.skip() ? null : String.valueOf(k.defaultValue()));
            }
        }
        for (var e : held.entrySet()) {
            String w = want.get(e.getKey());
            if (w != null && !w.equals(e.getValue())) {
                return Optional.empty();
            }
        }
        int[] values = new int[genes.size()];
        for (int i = 0; i < genes.size(); i++) {
            String w = want.get(genes.get(i).key());
            int v = w == null ? 0 : genes.get(i).values().indexOf(w);
            if (v < 0) {
                return Optional.empty();
            }
            values[i] = v;
        }
        return Optional.of(Genome.of(values));
    }

    /** The genome whose every gene takes its first value: the base config with default schedules. */
    public Genome firstValues() {
        return new Genome(Collections.nCopies(genes.size(), 0));
    }
}
