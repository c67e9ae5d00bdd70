package dev.qtune.search.space;

import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.lower.ConvSchedules;
import dev.qtune.compiler.lower.Knob;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.compiler.quant.AnnotateRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joint per-layer space of a model on a target: for each quantizable layer, genes for weight
 * bits, activation bits, activation calibration, weight granularity and fp32 fall-back, and (when
 * the spec searches schedules) the knobs of the layer's integer kernel. A gene restricted to one
 * value (by the spec's allowed values, a fixed layer, or a knob with a single valid candidate) is
 * not a gene: it is held in {@link #held()} and applied by every decode.
 */
public final class SearchSpace {
    public static final String WEIGHT_BITS = "weight_bits";
    public static final String ACTIVATION_BITS = "activation_bits";
    public static final String CALIBRATION = "calibration";
    public static final String GRANULARITY = "granularity";
    public static final String SKIP = "skip";
    /** The quantization kinds, in gene order within a layer. */
    public static final List<String> KINDS = List.of(WEIGHT_BITS, ACTIVATION_BITS, CALIBRATION, GRANULARITY, SKIP);
    /** Allowed labels per kind when the experiment does not restrict them; the first is the default. */
    public static final Map<String, List<String>> DEFAULT_VALUES = Map.of(
            WEIGHT_BITS, List.of("8", "7", "6", "5", "4"),
            ACTIVATION_BITS, List.of("8", "7", "6", "16"),
            CALIBRATION, List.of("kl", "max", "power2", "percentile", "mse"),
            GRANULARITY, List.of("per_channel", "per_tensor"),
            SKIP, List.of("false", "true"));
    /** Every value a kind may take (the experiment's lists must come from these). */
    public static final Map<String, List<String>> LEGAL_VALUES = Map.of(
            WEIGHT_BITS, List.of("8", "7", "6", "5", "4", "3", "2"),
            ACTIVATION_BITS, List.of("8", "7", "6", "5", "4", "3", "2", "16"),
            CALIBRATION, List.of("kl", "max", "power2", "percentile", "mse"),
            GRANULARITY, List.of("per_channel", "per_tensor"),
            SKIP, List.of("false", "true"));
    private static final List<Boolean> ORDERED = List.of(true, true, false, false, false);

    private final List<Gene> genes;
    private final Map<String, String> held;
    private final List<LayerInfo> layers;
    private final Map<String, Integer> index = new java.util.HashMap<>();

    /** A quantizable layer: its name, op, and its kernel's knobs (schedule defaults and candidates). */
    public record LayerInfo(String name, String op, List<Knob> knobs) {
        public LayerInfo {
            knobs = List.copyOf(knobs);
        }
    }

    private SearchSpace(List<Gene> genes, Map<String, String> held, List<LayerInfo> layers) {
        this.genes = List.copyOf(genes);
        this.held = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(held));
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.genes.size(); i++) {
            index.put(this.genes.get(i).name(), i);
        }
    }

    /**
     * The space of a prepared fp32 graph for a target whose int32 vectors have {@code lanes} lanes.
     * Fails with a message naming the kind or layer when the spec gives no allowed value.
     */
    public static SearchSpace of(Graph fp32, int lanes, SpaceSpec spec) {
        List<Gene> genes = new ArrayList<>();
        Map<String, String> held = new LinkedHashMap<>();
        List<LayerInfo> layers = new ArrayList<>();
        spec.checkPatterns(AnnotateRules.quantizableLayers(fp32));
        for (String name : AnnotateRules.quantizableLayers(fp32)) {
            Node n = fp32.node(name);
            List<Knob> knobs = knobs(fp32, n, lanes);
            layers.add(new LayerInfo(name, n.opType(), knobs));
            for (int k = 0; k < KINDS.size(); k++) {
                String kind = KINDS.get(k);
                add(genes, held, name, kind, spec.fixedValue(name, kind).map(List::of).orElse(spec.allowed(kind)),
                        ORDERED.get(k));
            }
            for (Knob knob : knobs) {
                List<String> values = spec.schedule()
                        ? knob.candidates().stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(knob.defaultValue()));
                values = spec.fixedValue(name, knob.name()).map(List::of).orElse(values);
                add(genes, held, name, knob.name(), values, true);
            }
        }
        return new SearchSpace(genes, held, layers);
    }

    private static void add(List<Gene> genes, Map<String, String> held, String layer, String kind, List<String> values,
                            boolean ordered) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("layer '" + layer + "': no allowed value for " + kind);
        }
        if (values.size() == 1) {
            held.put(layer + "." + kind, values.get(0));
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
        List<Knob> knobs = new ArrayList<>(ConvSchedules.space(TensorStorage.roundUp(channels, 4), width, lanes));
        knobs.add(ConvSchedules.dot(true));
        return knobs;
    }

    public List<Gene> genes() {
        return genes;
    }

    /** Choices held at one value, by "layer.kind". */
    public Map<String, String> held() {
        return held;
    }

    public List<LayerInfo> layers() {
        return layers;
    }

    /** The label a genome gives "layer.kind": its gene's value, or the held value. */
    public String label(Genome genome, String layer, String kind) {
        String key = layer + "." + kind;
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
            throw new IllegalArgumentException("genome must have " + genes.size() + " values, but has " + genome.size());
        }
        for (int i = 0; i < genes.size(); i++) {
            if (genome.get(i) >= genes.get(i).cardinality()) {
                throw new IllegalArgumentException("genome value " + i + " (" + genes.get(i).name() + ") must be < "
                        + genes.get(i).cardinality() + ", but was " + genome.get(i));
            }
        }
    }

    /** The genome whose every gene takes its first value (the allowed values' first: qtune's defaults). */
    public Genome firstValues() {
        return new Genome(java.util.Collections.nCopies(genes.size(), 0));
    }
}
