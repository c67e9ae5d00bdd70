package dev.qtune.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.ir.TensorType;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** QDense (weights [N, K], int32 accumulation, requantize per output) against the direct definition. */
class IntDenseKernelTest {
    /** acc[r][o] = bias[o] + sum_k x[r][k] * w[o][k]; y = clamp(apply(M[o], acc)). */
    static int[] reference(int[] x, int rows, int k, int[] w, int n, int[] bias, Requantize rq) {
        int[] y = new int[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < n; o++) {
                long acc = bias == null ? 0 : bias[o];
                for (int p = 0; p < k; p++) {
                    acc += (long) x[r * k + p] * w[o * k + p];
                }
                y[r * n + o] = IntReference.requantize(acc, rq, o);
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // label | rows | K | N | bias | multipliers | rounding | input u8 | output range
                "u8 in, per-channel mixed, i8 out, upward, 1 row   | 1 | 37  | 10 | true  | mixed    | UPWARD    | true  | s8",
                "u8 in, per-channel mixed, i8 out, tonearest, 5 rows | 5 | 37 | 10 | true  | mixed    | TONEAREST | true  | s8",
                "i8 in, single M, u8 out (fused relu), 5 rows     | 5 | 64  | 7  | false | single   | UPWARD    | false | u8",
                "i8 in, power-of-two M (ties), tonearest, 5 rows  | 5 | 16  | 12 | true  | power2   | TONEAREST | false | s8",
                "i8 in, power-of-two M (ties), upward, 5 rows     | 5 | 16  | 12 | true  | power2   | UPWARD    | false | s8",
                "u8 in, M > 1, saturating, 1 row                  | 1 | 5   | 9  | true  | large    | UPWARD    | true  | s8",
                "u8 in, tiny M, 4-bit out, 5 rows                 | 5 | 300 | 6  | true  | tiny     | TONEAREST | true  | s4",
                "i8 in, K = 1, mixed, u8 out                      | 5 | 1   | 8  | true  | mixed    | TONEAREST | false | u8",
            })
    void matchesTheDirectDefinitionBitForBit(
            String label,
            int rows,
            int k,
            int n,
            boolean withBias,
            String kind,
            Rounding rounding,
            boolean unsignedIn,
            String out) {
        long seed = label.hashCode();
        int[] x = unsignedIn ? IntReference.ints(seed, rows * k, 0, 255) : IntReference.ints(seed, rows * k, -127, 127);
        int[] w = IntReference.ints(seed + 1, n * k, -127, 127);
        int[] bias = withBias ? IntReference.ints(seed + 2, n, -50_000, 50_000) : null;
        if (withBias && n >= 3) {
            bias[1] = 2_130_000_000; // near the int32 limit, still exact with these K
            bias[2] = -2_130_000_000;
        }
        List<FixedPointMultiplier> ms = kind.equals("single")
                ? IntReference.multipliers(seed + 3, 1, "ordinary")
                : IntReference.multipliers(seed + 3, n, kind);
        IntRange range = switch (out) {
            case "s8" -> IntRange.signed(8);
            case "u8" -> IntRange.unsigned(8);
            default -> IntRange.signed(4);
        };
        DType dtype = range.min() >= 0 ? DType.U8 : DType.I8;
        Requantize rq = IntReference.requantize(ms, rounding, range, dtype);

        Tensor y = run(x, rows, k, unsignedIn ? DType.U8 : DType.I8, w, n, bias, rq);
        assertEquals(dtype, y.dtype());
        assertArrayEquals(new int[] {rows, n}, y.shape().dims());
        assertArrayEquals(reference(x, rows, k, w, n, bias, rq), y.ints(), label);
        if (kind.equals("mixed")) {
            assertTrue(
                    Arrays.stream(y.ints()).distinct().count() >= 3, "degenerate output " + Arrays.toString(y.ints()));
        }
    }

    private static Tensor run(int[] x, int rows, int k, DType inType, int[] w, int n, int[] bias, Requantize rq) {
        List<String> ins = new ArrayList<>(List.of("x", "w"));
        Map<String, Tensor> consts = new LinkedHashMap<>();
        consts.put("w", IntReference.tensor(DType.I8, w, n, k));
        if (bias != null) {
            ins.add("b");
            consts.put("b", IntReference.tensor(DType.I32, bias, n));
        }
        QDenseNode node = new QDenseNode("qdense", ins, "y", rq);
        return IntReference.run(node, Map.of("x", IntReference.tensor(inType, x, rows, k)), consts);
    }

    @Test
    void preparedWeightsServeLaterRunsWithOtherInputs() {
        int rows = 3;
        int k = 20;
        int n = 5;
        int[] w = IntReference.ints(41, n * k, -127, 127);
        Requantize rq = IntReference.requantize(
                IntReference.multipliers(42, n, "mixed"), Rounding.UPWARD, IntRange.signed(8), DType.I8);
        Graph g = InferTypesPass.infer(new GraphBuilder("dense")
                .input("x", new TensorType(DType.U8, Shape.of(rows, k)))
                .init("w", IntReference.tensor(DType.I8, w, n, k))
                .node(new QDenseNode("qdense", List.of("x", "w"), "y", rq))
                .output("y")
                .build());
        IntegerInterpreter interp = new IntegerInterpreter(g);
        for (long seed = 0; seed < 3; seed++) {
            int[] x = IntReference.ints(100 + seed, rows * k, 0, 255);
            Tensor y = interp.run(Map.of("x", IntReference.tensor(DType.U8, x, rows, k)))
                    .get("y");
            assertArrayEquals(reference(x, rows, k, w, n, null, rq), y.ints(), "run " + seed);
        }
    }

    @Test
    void sixteenBitActivationsAccumulateExactlyBeyondInt32() {
        // K = 600 inputs of 32767 against weights of +-127: |acc| = 2,496,845,400 > 2^31 - 1.
        int rows = 2;
        int k = 600;
        int n = 3;
        int[] x = new int[rows * k];
        Arrays.fill(x, 0, k, 32767);
        System.arraycopy(IntReference.ints(61, k, -32767, 32767), 0, x, k, k);
        int[] w = new int[n * k];
        Arrays.fill(w, 0, k, 127);
        Arrays.fill(w, k, 2 * k, -127);
        System.arraycopy(IntReference.ints(62, k, -127, 127), 0, w, 2 * k, k);
        int[] bias = {1000, -1000, 7};
        FixedPointMultiplier m = new FixedPointMultiplier((1 << 30) + 12345, 51); // about 2^-21
        Requantize rq = IntReference.requantize(List.of(m), Rounding.TONEAREST, IntRange.signed(16), DType.I16);
        Tensor y = run(x, rows, k, DType.I16, w, n, bias, rq);
        int[] expected = reference(x, rows, k, w, n, bias, rq);
        assertArrayEquals(expected, y.ints());
        long acc = 600L * 32767 * 127 + 1000;
        assertTrue(acc > Integer.MAX_VALUE);
        assertEquals(IntReference.apply(acc, m, Rounding.TONEAREST), y.ints()[0]);
        assertEquals(-IntReference.apply(acc, m, Rounding.TONEAREST), y.ints()[1]);
        assertTrue(y.ints()[0] > 1000 && y.ints()[0] < 32767, "not saturated: " + y.ints()[0]);
    }

    @Test
    void handComputedRow() {
        // x = [1, 2, 3], w rows [1, 1, 1] and [-1, 0, -2], bias [1, 0], M = 1/4:
        // acc = [7, -7] -> 1.75 -> 2 and -1.75 -> -2.
        Requantize rq = IntReference.requantize(
                List.of(FixedPointMultiplier.of(0.25)), Rounding.UPWARD, IntRange.signed(8), DType.I8);
        Tensor y = run(new int[] {1, 2, 3}, 1, 3, DType.U8, new int[] {1, 1, 1, -1, 0, -2}, 2, new int[] {1, 0}, rq);
        assertArrayEquals(new int[] {2, -2}, y.ints());
    }
}
