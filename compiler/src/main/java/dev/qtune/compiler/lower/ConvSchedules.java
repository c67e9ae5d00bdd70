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
 *   <li>{@code ow_tile}: output pixels of one row accumulated together (valid up to the output
 *       width).</li>
 * </ul>
 * The default keeps oc_block * ow_tile accumulators within about twelve vector registers.
 * A third knob, {@code dot}, is the operand width of the inner product: 16 (int16 pairs, exact
 * for any operands) or 8 (groups of four 8-bit operands: faster, offered only where the
 * target's 8-bit instructions are exact for the layer's weights and input range).
 */
public final class ConvSchedules {
    public static final String OC_BLOCK = "oc_block";
    public static final String OW_TILE = "ow_tile";
    public static final String DOT = "dot";
    private static final int[] OC_BLOCKS = {4, 8, 16, 32, 64};
    private static final int[] OW_TILES = {1, 2, 3, 4, 6, 8};
    private static final int ACCUMULATOR_REGISTERS = 12;

    private ConvSchedules() {
    }

    /** The knobs of a layer with {@code outChannels} (padded) outputs of width {@code outWidth}, for int32 {@code lanes}. */
    public static List<Knob> space(int outChannels, int outWidth, int lanes) {
        int maxBlock = TensorStorage.roundUp(outChannels, lanes);
        List<Integer> blocks = new ArrayList<>();
        for (int b : OC_BLOCKS) {
            if (b % lanes == 0 && b <= maxBlock || b == lanes) {
                blocks.add(b);
            }
        }
        List<Integer> tiles = new ArrayList<>();
        for (int t : OW_TILES) {
            if (t <= Math.max(1, outWidth)) {
                tiles.add(t);
            }
        }
        int block = blocks.get(0);
        for (int b : blocks) {
            if (b <= Math.min(maxBlock, 4 * lanes)) {
                block = b;
            }
        }
        int vectorsPerPixel = Math.max(1, block / lanes);
        int tile = tiles.get(0);
        for (int t : tiles) {
            if (t * vectorsPerPixel <= ACCUMULATOR_REGISTERS) {
                tile = t;
            }
        }
        return List.of(new Knob(OC_BLOCK, blocks, block), new Knob(OW_TILE, tiles, tile));
    }

    /** The dot knob: 8 and 16 where the 8-bit path is exact (8 by default), else 16 only. */
    public static Knob dot(boolean eightBitExact) {
        return eightBitExact ? new Knob(DOT, List.of(8, 16), 8) : new Knob(DOT, List.of(16), 16);
    }
}
