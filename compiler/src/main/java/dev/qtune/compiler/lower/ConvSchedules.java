package dev.qtune.compiler.lower;

import java.util.ArrayList;
import java.util.List;

/**
 * The schedule space of the direct integer convolution / dense kernel (AutoTVM style: named knobs,
 * candidate values, validity filters) and its default heuristic.
 *
 * <ul>
 *   <li>{@code oc_block}: output channels accumulated together (a multiple of the vector's int32
 *       lanes; valid up to the layer's padded channel count rounded up to the lanes);</li>
 *   <li>{@code ow_tile}: output pixels of one row accumulated together (valid up to the first
 *       candidate at least as wide as the row, which computes the row as one tile).</li>
 * </ul>
 * A third knob, {@code dot}, is the operand width of the inner product: 16 (int16 pairs, exact
 * for any operands) or 8 (groups of four 8-bit operands: faster, offered only where the
 * target's 8-bit instructions are exact for the layer's weights and input range).
 *
 * <p>The default is what measured fastest on AVX2 (docs/codegen.md, "Schedules as data"): 16
 * output channels (two vectors) by 4 pixels for dot 16 and by 3 pixels for dot 8, whose step needs
 * two more registers (vpmaddubsw's temporary and the vector of ones). In general: blocks of 16
 * channels, and the widest tile whose accumulators (tile x block / lanes) stay within 8 registers
 * for dot 16 and 6 for dot 8; a layer narrower than that tile (dense layers: width 1) spends the
 * registers on up to 4 vectors of channels instead. With 512-bit vectors (AVX-512 VNNI) dot 8
 * defaults to 32 channels (two ZMM vectors) by 8 pixels: 16 accumulators of 32 registers, the
 * fastest of the single-layer sweep on ResNet-18's 3x3 shapes (docs/results.md); NEON's dot 8
 * (sdot) 16 channels (four vectors) by 4 pixels, by the same register count (not measured: no
 * AArch64 host yet).
 */
public final class ConvSchedules {
    public static final String OC_BLOCK = "oc_block";
    public static final String OW_TILE = "ow_tile";
    public static final String DOT = "dot";
    private static final int[] OC_BLOCKS = {4, 8, 16, 32, 64};
    private static final int[] OW_TILES = {1, 2, 3, 4, 6, 8};
    private static final int DEFAULT_BLOCK = 16;
    private static final int MAX_DEFAULT_VECTORS = 4;
    /** int32 lanes of a 512-bit vector. */
    private static final int ZMM_LANES = 16;
    /** int32 lanes of a 128-bit NEON vector (the only 128-bit target with a dot 8 kernel). */
    private static final int NEON_LANES = 4;

    private ConvSchedules() {}

    /** The knobs of a layer with {@code outChannels} (padded) outputs of width {@code outWidth}, for int32 {@code lanes}, dot 16. */
    public static List<Knob> space(int outChannels, int outWidth, int lanes) {
        return space(outChannels, outWidth, lanes, 16);
    }

    /** The knobs of a layer as above, with defaults for the given {@code dot} (8 or 16). */
    public static List<Knob> space(int outChannels, int outWidth, int lanes, int dot) {
        int maxBlock = TensorStorage.roundUp(outChannels, lanes);
        List<Integer> blocks = new ArrayList<>();
        for (int b : OC_BLOCKS) {
            if (b % lanes == 0 && b <= maxBlock || b == lanes) {
                blocks.add(b);
            }
        }
        List<Integer> tiles = new ArrayList<>();
        for (int t : OW_TILES) {
            tiles.add(t);
            if (t >= outWidth) {
                break; // a tile at least as wide as the row computes the row as one tile
            }
        }
        int budget = accumulatorRegisters(dot, lanes);
        int defaultBlock = lanes >= ZMM_LANES && dot == 8 ? 2 * lanes : Math.max(DEFAULT_BLOCK, lanes);
        int block = largestAtMost(blocks, Math.min(maxBlock, defaultBlock));
        int vectors = Math.max(1, block / lanes);
        int tile = largestAtMost(tiles, Math.max(1, budget / vectors));
        if (tile * vectors < budget) {
            // A narrow layer: more channels per tile instead of more pixels.
            int wanted = Math.min(MAX_DEFAULT_VECTORS, budget / tile) * lanes;
            block = largestAtMost(blocks, Math.max(block, Math.min(maxBlock, wanted)));
        }
        return List.of(new Knob(OC_BLOCK, blocks, block), new Knob(OW_TILE, tiles, tile));
    }

    /** The dot knob: 8 and 16 where the 8-bit path is exact (8 by default), else 16 only. */
    public static Knob dot(boolean eightBitExact) {
        return eightBitExact ? new Knob(DOT, List.of(8, 16), 8) : new Knob(DOT, List.of(16), 16);
    }

    /**
     * Accumulator registers the default tile may use: on AVX2, 8 of 16 YMM registers for dot 16, 6
     * for dot 8; with 512-bit vectors (AVX-512 VNNI, 32 ZMM registers: vpdpbusd and vpdpwssd
     * accumulate in place) 16 for either dot; with NEON's 128-bit ones (sdot, 32 Q registers) 16
     * for dot 8.
     */
    private static int accumulatorRegisters(int dot, int lanes) {
        if (dot == 8) {
            return lanes >= ZMM_LANES || lanes <= NEON_LANES ? 16 : 6;
        }
        return lanes >= ZMM_LANES ? 16 : 8;
    }

    private static int largestAtMost(List<Integer> values, int limit) {
        int best = values.get(0);
        for (int v : values) {
            if (v <= limit) {
                best = v;
            }
        }
        return best;
    }
}
