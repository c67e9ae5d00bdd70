package dev.qtune.compiler.interp;

import dev.qtune.compiler.Fixtures.GraphBuilder;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Requantize;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.pass.InferTypesPass;
import dev.qtune.compiler.quant.FixedPointMultiplier;
import dev.qtune.compiler.quant.IntRange;
import dev.qtune.compiler.quant.Rounding;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The integer arithmetic of docs/integer-semantics.md written out naively for kernel tests (exact
 * BigInteger requantization, not FixedPointMultiplier.apply), seeded integer data, and a runner
 * that executes one integer node through {@link IntegerInterpreter} (so the kernel table is used).
 */
final class IntReference {
    private IntReference() {}

    /**
     * apply(M, a) of the page: p = a * m exactly; upward: floor((p + 2^(n-1)) / 2^n); tonearest:
     * sign(p) * floor((|p| + 2^(n-1)) / 2^n); n = 0 gives p.
     */
    static long apply(long a, FixedPointMultiplier m, Rounding rounding) {
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(m.mantissa()));
        int n = m.shift();
        if (n == 0) {
            return p.longValueExact();
        }
        BigInteger twoN = BigInteger.ONE.shiftLeft(n);
        BigInteger half = BigInteger.ONE.shiftLeft(n - 1);
        if (rounding == Rounding.UPWARD) {
            return floorDiv(p.add(half), twoN).longValueExact();
        }
        BigInteger magnitude = floorDiv(p.abs().add(half), twoN);
        return p.signum() < 0 ? -magnitude.longValueExact() : magnitude.longValueExact();
    }

    /** floor(a / b) for b > 0 (BigInteger division truncates toward zero). */
    private static BigInteger floorDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }

    static int clamp(long v, IntRange r) {
        if (v < r.min()) {
            return r.min();
        }
        return v > r.max() ? r.max() : (int) v;
    }

    /** y = clamp(apply(M[channel], acc)) for the exact accumulator {@code acc}. */
    static int requantize(long acc, Requantize rq, int channel) {
        return clamp(apply(acc, rq.multiplier(channel), rq.rounding()), rq.range());
    }

    /**
     * {@code n} seeded multipliers of a kind: "mixed" cycles through ordinary (M ~ 2^-6..2^-9),
     * greater than 1, tiny (shift 50..63) and power-of-two (mantissa 2^30, many ties) values.
     */
    static List<FixedPointMultiplier> multipliers(long seed, int n, String kind) {
        Random r = new Random(seed);
        List<FixedPointMultiplier> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String k = kind.equals("mixed")
                    ? List.of("ordinary", "large", "tiny", "power2").get(i % 4)
                    : kind;
            int mantissa = (1 << 30) + r.nextInt(1 << 30);
            ms.add(
                    switch (k) {
                        case "ordinary" -> new FixedPointMultiplier(mantissa, 35 + r.nextInt(4));
                        case "large" -> new FixedPointMultiplier(mantissa, 27 + r.nextInt(3)); // M in [2, 16)
                        case "tiny" -> new FixedPointMultiplier(mantissa, 50 + r.nextInt(14));
                        case "power2" -> new FixedPointMultiplier(1 << 30, 31 + r.nextInt(6)); // M = 2^-1 .. 2^-6
                        default -> throw new IllegalArgumentException("multiplier kind " + k);
                    });
        }
        return ms;
    }

    static Requantize requantize(List<FixedPointMultiplier> ms, Rounding rounding, IntRange range, DType dtype) {
        return new Requantize(ms, rounding, range, dtype, 0.01f, "t");
    }

    /** Seeded integers uniform in [lo, hi]. */
    static int[] ints(long seed, int n, int lo, int hi) {
        Random r = new Random(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + r.nextInt(hi - lo + 1);
        }
        return v;
    }

    static Tensor tensor(DType dtype, int[] data, int... dims) {
        return Tensor.ofInts(dtype, Shape.of(dims), data);
    }

    /**
     * Runs {@code node} in a one-node graph through {@link IntegerInterpreter}: {@code feeds} are
     * graph inputs, {@code constants} initializers (as weights are in a realized graph). The result
     * is checked against the type InferTypes gave the output.
     */
    static Tensor run(Node node, Map<String, Tensor> feeds, Map<String, Tensor> constants) {
        GraphBuilder b = new GraphBuilder("one_node");
        feeds.forEach((name, t) -> b.input(name, t.type()));
        constants.forEach(b::init);
        Graph g =
                InferTypesPass.infer(b.node(node).output(node.outputs().get(0)).build());
        Tensor y = new IntegerInterpreter(g).run(feeds).get(node.outputs().get(0));
        if (!y.type().equals(g.type(node.outputs().get(0)))) {
            throw new AssertionError("kernel output " + y.type() + " differs from the inferred type "
                    + g.type(node.outputs().get(0)));
        }
        return y;
    }

    static Tensor run(Node node, Tensor x) {
        return run(node, Map.of(node.inputs().get(0), x), Map.of());
    }

    static Map<String, Tensor> inputs(List<String> names, Tensor... tensors) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < tensors.length; i++) {
            m.put(names.get(i), tensors[i]);
        }
        return m;
    }
}
