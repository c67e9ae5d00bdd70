package dev.qtune.compiler.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The default schedule heuristic: what measured fastest per vector width and dot (docs/results.md). */
class ConvSchedulesTest {
    /** [oc_block, ow_tile] defaults of a layer. */
    private static List<Integer> defaults(int outChannels, int outWidth, int lanes, int dot) {
        List<Knob> knobs = ConvSchedules.space(outChannels, outWidth, lanes, dot);
        return List.of(knobs.get(0).defaultValue(), knobs.get(1).defaultValue());
    }

    @Test
    void avx2DefaultsAreSixteenChannelsByFourOrThreePixels() {
        assertEquals(List.of(16, 4), defaults(64, 56, 8, 16));
        assertEquals(List.of(16, 3), defaults(64, 56, 8, 8));
    }

    @Test
    void vnniDotEightTakesTwoZmmVectorsByEightPixels() {
        assertEquals(List.of(32, 8), defaults(64, 56, 16, 8));
        assertEquals(List.of(32, 8), defaults(512, 7, 16, 8), "a 7-pixel row: one tile of the 8-pixel budget");
        assertEquals(List.of(16, 8), defaults(16, 28, 16, 8), "16 channels: one vector");
        assertEquals(List.of(64, 1), defaults(128, 1, 16, 8), "a dense layer spends the registers on channels");
    }

    @Test
    void neonDotEightTakesFourVectorsByFourPixels() {
        assertEquals(List.of(16, 4), defaults(64, 56, 4, 8));
        assertEquals(List.of(16, 2), defaults(64, 56, 4, 16), "dot 16 keeps the 8-register budget");
    }
}
