package dev.qtune.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.quant.ActivationMode;
import dev.qtune.compiler.quant.CalibrationMode;
import dev.qtune.compiler.quant.Granularity;
import dev.qtune.compiler.quant.LayerQuantConfig;
import dev.qtune.compiler.quant.QuantConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gene kinds: their order, labels, defaults and legal values, as experiment files and run files know them. */
class GeneKindTest {
    @Test
    void kindsAreInGeneOrderWithTheirLabels() {
        assertEquals(
                List.of("weight_bits", "activation_bits", "calibration", "granularity", "skip", "activation_mode"),
                GeneKind.labels());
        assertEquals(Optional.of(GeneKind.SKIP), GeneKind.fromLabel("skip"));
        assertEquals(Optional.empty(), GeneKind.fromLabel("oc_block"), "a knob is no quantization kind");
    }

    @Test
    void bitWidthsAreOrderedAndTheRestAreCategories() {
        for (GeneKind k : GeneKind.values()) {
            assertEquals(k == GeneKind.WEIGHT_BITS || k == GeneKind.ACTIVATION_BITS, k.ordered(), k.label());
        }
    }

    @Test
    void defaultsAreLegalValuesAndTheFirstIsQtunesDefault() {
        LayerQuantConfig d = QuantConfig.defaultConfig().defaults();
        for (GeneKind k : GeneKind.values()) {
            assertTrue(k.legalValues().containsAll(k.defaultValues()), k.label());
        }
        assertEquals(List.of("8", "7", "6", "5", "4"), GeneKind.WEIGHT_BITS.defaultValues());
        assertEquals(List.of("8", "7", "6", "5", "4", "3", "2"), GeneKind.WEIGHT_BITS.legalValues());
        assertEquals(List.of("8", "7", "6", "16"), GeneKind.ACTIVATION_BITS.defaultValues());
        assertEquals(List.of("8", "7", "6", "5", "4", "3", "2", "16"), GeneKind.ACTIVATION_BITS.legalValues());
        assertEquals(List.of("symmetric"), GeneKind.ACTIVATION_MODE.defaultValues(), "asymmetric only when asked");
        assertEquals(List.of("symmetric", "asymmetric"), GeneKind.ACTIVATION_MODE.legalValues());
        assertEquals("8", GeneKind.WEIGHT_BITS.of(d));
        assertEquals("false", GeneKind.SKIP.of(d));
    }

    /** Each legal label of a category names its enum constant, and a layer config with it says that label. */
    @Test
    void everyLegalValueIsWhatSomeLayerConfigSays() {
        LayerQuantConfig d = QuantConfig.defaultConfig().defaults();
        for (String label : GeneKind.CALIBRATION.legalValues()) {
            CalibrationMode m = CalibrationMode.valueOf(label.toUpperCase(Locale.ROOT));
            LayerQuantConfig c = new LayerQuantConfig(
                    8, 8, d.weightScale(), d.granularity(), m, d.percentile(), false, d.rounding());
            assertEquals(label, GeneKind.CALIBRATION.of(c));
        }
        for (String label : GeneKind.GRANULARITY.legalValues()) {
            Granularity g = Granularity.valueOf(label.toUpperCase(Locale.ROOT));
            LayerQuantConfig c = new LayerQuantConfig(
                    8, 8, d.weightScale(), g, d.activationCalibration(), d.percentile(), false, d.rounding());
            assertEquals(label, GeneKind.GRANULARITY.of(c));
        }
        for (String label : GeneKind.ACTIVATION_MODE.legalValues()) {
            assertEquals(
                    label,
                    ActivationMode.valueOf(label.toUpperCase(Locale.ROOT))
                            .name()
                            .toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void aGeneKeyIsWrittenLayerDotKind() {
        GeneKey k = GeneKey.of("conv1", GeneKind.WEIGHT_BITS);
        assertEquals("conv1.weight_bits", k.toString());
        assertEquals(new GeneKey("conv1", "weight_bits"), k);
        assertTrue(k.is(GeneKind.WEIGHT_BITS));
        assertFalse(new GeneKey("conv1", "oc_block").is(GeneKind.WEIGHT_BITS));
        assertEquals(k, new Gene("conv1", "weight_bits", List.of("8", "4"), true).key());
    }
}
