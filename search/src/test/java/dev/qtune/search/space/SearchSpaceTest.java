package dev.qtune.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.pass.PassPipeline;
import dev.qtune.compiler.quant.ActivationMode;
import dev.qtune.compiler.quant.AnnotateRules;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.LayerPattern;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.QuantConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private static final Graph RESNET =
            PassPipeline.prerequisites().run(OnnxImporter.load(Path.of("..", "models", "resnet8_fashion.onnx")));

    @Test
    void everyQuantizableLayerGetsItsGenesAndKnobs() {
        SearchSpace s = SearchSpace.of(RESNET, 8, SpaceSpec.defaults());
        List<String> layers = AnnotateRules.quantizableLayers(RESNET);
        assertEquals(
                layers, s.layers().stream().map(SearchSpace.LayerInfo::name).toList());
        for (String l : layers) {
            for (GeneKind kind : GeneKind.values()) {
                GeneKey key = GeneKey.of(l, kind);
                if (kind.defaultValues().size() > 1) {
                    assertTrue(s.genes().stream().anyMatch(g -> g.key().equals(key)), key.toString());
                } else {
                    assertTrue(s.held().containsKey(key), "held by default: " + key);
                }
            }
        }
        assertTrue(s.genes().stream().anyMatch(g -> g.kind().equals("oc_block")));
        assertTrue(s.genes().stream().anyMatch(g -> g.kind().equals("dot")));
    }

    @Test
    void restrictionsAndFixedLayersAreHeldNotSearched() {
        String first = AnnotateRules.quantizableLayers(RESNET).get(0);
        SpaceSpec spec = new SpaceSpec(
                Map.of(GeneKind.WEIGHT_BITS, List.of("8", "4"), GeneKind.ACTIVATION_BITS, List.of("8")),
                false,
                List.of(new SpaceSpec.Fixed(LayerPattern.parse(first), Map.of("skip", "true", "weight_bits", "8"))));
        SearchSpace s = SearchSpace.of(RESNET, 8, spec);
        assertTrue(s.genes().stream().noneMatch(g -> g.kind().equals("activation_bits")));
        assertTrue(s.genes().stream().noneMatch(g -> g.kind().equals("oc_block")), "schedule: false holds the knobs");
        assertTrue(s.genes().stream()
                .noneMatch(g -> g.layer().equals(first) && g.kind().equals("skip")));
        assertEquals("true", s.held().get(new GeneKey(first, "skip")));
        Decoded d = new SpaceDecoder(s, QuantConfig.defaultConfig()).decode(s.firstValues());
        assertTrue(d.qconfig().forLayer(first).skip());
        assertTrue(d.schedule().layers().isEmpty() || !d.schedule().layers().containsKey(first));
    }

    @Test
    void decodingGivesTheChosenPerLayerConfigAndSchedule() {
        SearchSpace s = SearchSpace.of(RESNET, 8, SpaceSpec.defaults());
        SpaceDecoder decoder = new SpaceDecoder(s, QuantConfig.defaultConfig());
        Random r = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            Genome g = random(s, r);
            Decoded d = decoder.decode(g);
            for (LayerChoice c : d.layers()) {
                var lc = d.qconfig().forLayer(c.layer());
                assertEquals(c.skip(), lc.skip());
                assertEquals(Boolean.parseBoolean(s.label(g, GeneKey.of(c.layer(), GeneKind.SKIP))), c.skip());
                if (!c.skip()) {
                    assertEquals(
                            Integer.parseInt(s.label(g, GeneKey.of(c.layer(), GeneKind.WEIGHT_BITS))), lc.weightBits());
                    assertEquals(
                            CalibrationMode.valueOf(s.label(g, GeneKey.of(c.layer(), GeneKind.CALIBRATION))
                                    .toUpperCase()),
                            lc.activationCalibration());
                    c.knobs()
                            .forEach((k, v) -> assertEquals(
                                    v, d.schedule().layers().get(c.layer()).get(k)));
                } else {
                    assertFalse(d.schedule().layers().containsKey(c.layer()));
                }
            }
            assertTrue(d.schedule().lenient());
        }
    }

    @Test
    void genesWithoutEffectDoNotChangeTheConfigHash() {
        SearchSpace s = SearchSpace.of(RESNET, 8, SpaceSpec.defaults());
        SpaceDecoder decoder = new SpaceDecoder(s, QuantConfig.defaultConfig());
        String layer = s.layers().get(0).name();
        int skip = index(s, GeneKey.of(layer, GeneKind.SKIP));
        int bits = index(s, GeneKey.of(layer, GeneKind.WEIGHT_BITS));
        List<Integer> a = new ArrayList<>(s.firstValues().values());
        a.set(skip, 1);
        List<Integer> b = new ArrayList<>(a);
        b.set(bits, 2);
        assertEquals(
                decoder.decode(new Genome(a)).configHash(),
                decoder.decode(new Genome(b)).configHash(),
                "a layer in fp32 ignores its bit width");
        List<Integer> c = new ArrayList<>(s.firstValues().values());
        c.set(bits, 2);
        assertNotEquals(
                decoder.decode(s.firstValues()).configHash(),
                decoder.decode(new Genome(c)).configHash());
    }

    @Test
    void badGenomesAndEmptyRestrictionsAreRejected() {
        SearchSpace s = SearchSpace.of(RESNET, 8, SpaceSpec.defaults());
        assertThrows(IllegalArgumentException.class, () -> s.check(Genome.of(0)));
        List<Integer> v = new ArrayList<>(s.firstValues().values());
        v.set(0, 99);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.check(new Genome(v)))
                .getMessage()
                .contains(s.genes().get(0).key().toString()));
        assertThrows(
                IllegalArgumentException.class,
                () -> SearchSpace.of(
                        RESNET, 8, new SpaceSpec(Map.of(GeneKind.WEIGHT_BITS, List.of()), true, List.of())));
    }

    private static int index(SearchSpace s, GeneKey key) {
        for (int i = 0; i < s.genes().size(); i++) {
            if (s.genes().get(i).key().equals(key)) {
                return i;
            }
        }
        throw new AssertionError(key);
    }

    private static Genome random(SearchSpace s, Random r) {
        List<Integer> v = new ArrayList<>();
        for (Gene g : s.genes()) {
            v.add(r.nextInt(g.cardinality()));
        }
        return new Genome(v);
    }

    /** The base config is always a point of the space, its first values; other configs are encoded when the space holds them. */
    @Test
    void theBaseConfigIsTheFirstValuesAndConfigsEncode() {
        QuantConfig d = QuantConfig.defaultConfig();
        var pct = new LayerQuantConfig(
                6,
                8,
                d.defaults().weightScale(),
                d.defaults().granularity(),
                CalibrationMode.PERCENTILE,
                99.99,
                false,
                d.defaults().rounding());
        QuantConfig base =
                new QuantConfig(pct, List.of(), 1000, d.globalScale(), true, d.boundaryCalibration(), "test");
        SpaceSpec spec = new SpaceSpec(
                Map.of(GeneKind.WEIGHT_BITS, List.of("8", "4"), GeneKind.CALIBRATION, List.of("kl", "max")),
                false,
                List.of());
        SearchSpace s = SearchSpace.of(RESNET, 16, spec, base);
        Gene wb = s.genes().stream()
                .filter(g -> g.kind().equals("weight_bits"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("6", "8", "4"), wb.values(), "the base's 6 bits first, added to the allowed values");
        assertEquals(s.firstValues(), s.encode(base).orElseThrow());
        assertTrue(s.encode(QuantConfig.defaultConfig()).isPresent(), "8 bits and kl are in the space");
        var power2 = new LayerQuantConfig(
                8,
                8,
                d.defaults().weightScale(),
                d.defaults().granularity(),
                CalibrationMode.POWER2,
                99.99,
                false,
                d.defaults().rounding());
        assertFalse(
                s.encode(new QuantConfig(power2, List.of(), 1000, d.globalScale(), true, d.boundaryCalibration(), "p2"))
                        .isPresent(),
                "power2 is not a value of the space");
        assertTrue(s.layers().stream().allMatch(l -> l.knobs().isEmpty()), "schedule: false sets no knob");
        SearchSpace vnni = SearchSpace.of(RESNET, 16, SpaceSpec.defaults());
        assertTrue(vnni.genes().stream().noneMatch(g -> g.kind().equals("dot")), "no dot gene with 512-bit vectors");
        var dots = vnni.held().entrySet().stream()
                .filter(e -> e.getKey().kind().equals("dot"))
                .toList();
        assertFalse(dots.isEmpty());
        assertTrue(dots.stream().allMatch(e -> e.getValue().equals("8")), "dot 8 held everywhere on VNNI: " + dots);
    }

    /** activation_mode is a gene only where a layer reads or writes a value that may be negative; it decodes and hashes apart. */
    @Test
    void activationModeIsAGeneOnlyWhereItMatters() {
        SpaceSpec spec =
                new SpaceSpec(Map.of(GeneKind.ACTIVATION_MODE, List.of("symmetric", "asymmetric")), false, List.of());
        SearchSpace s = SearchSpace.of(RESNET, 16, spec);
        List<Gene> modes = s.genes().stream()
                .filter(g -> g.kind().equals("activation_mode"))
                .toList();
        String first = AnnotateRules.quantizableLayers(RESNET).get(0);
        assertTrue(modes.stream().anyMatch(g -> g.layer().equals(first)), "the first conv reads the normalised input");
        assertTrue(modes.size() < s.layers().size(), "convolutions between ReLUs hold it: " + modes);
        SpaceDecoder decoder = new SpaceDecoder(s, QuantConfig.defaultConfig());
        int[] values = s.firstValues().toArray();
        values[s.genes().indexOf(modes.get(0))] = 1;
        Decoded asym = decoder.decode(Genome.of(values));
        assertEquals(ActivationMode.ASYMMETRIC, asym.qconfig().forLayer(first).activationMode());
        assertNotEquals(decoder.decode(s.firstValues()).configHash(), asym.configHash());
    }
}
