package dev.qtune.compiler.ir;

import dev.qtune.compiler.quant.FixedPointMultiplier;
import java.util.List;

/**
 * Integer addition of two tensors of equal shape in different scales: each input, less its zero
 * point, is taken to the output scale by its own multiplier (inputs' multipliers, in input order,
 * in {@code requantize}) keeping {@link #extraBits()} bits below the point, the two are added and
 * the sum rounded once; then the output zero point is added and the result saturated
 * (docs/integer-semantics.md, "Add and Concat").
 */
public record QAddNode(
        String name, List<String> inputs, String output, Requantize requantize, List<Integer> inputZeroPoints)
        implements SingleOutputNode {
    public QAddNode {
        inputs = NodeChecks.node("QAdd", name, inputs, 2, 2, output);
        if (requantize.multipliers().size() != 2) {
            throw new IllegalArgumentException("QAdd node '" + name + "' must have 2 multipliers, but had "
                    + requantize.multipliers().size());
        }
        inputZeroPoints = NodeChecks.zeroPoints("QAdd", name, inputZeroPoints, 2);
    }

    /** An addition of symmetric inputs. */
    public QAddNode(String name, List<String> inputs, String output, Requantize requantize) {
        this(name, inputs, output, requantize, List.of(0, 0));
    }

    /** The most bits below the point that the two rescaled inputs keep before their sum is rounded. */
    public static final int EXTRA_BITS = 16;

    /** k = min(16, n_a, n_b): bits below the point kept by both inputs (their multipliers' shifts bound it). */
    public int extraBits() {
        return Math.min(
                EXTRA_BITS,
                Math.min(
                        requantize.multiplier(0).shift(),
                        requantize.multiplier(1).shift()));
    }

    /** The input's multiplier times 2^k: it rescales input {@code i} keeping k bits below the point. */
    public FixedPointMultiplier finer(int i) {
        FixedPointMultiplier m = requantize.multiplier(i);
        return new FixedPointMultiplier(m.mantissa(), m.shift() - extraBits());
    }

    /** 2^-k, which rounds the sum of the two rescaled inputs once (applied with the layer's rounding). */
    public FixedPointMultiplier sumShift() {
        return new FixedPointMultiplier(1 << 30, 30 + extraBits());
    }

    @Override
    public String opType() {
        return "QAdd";
    }

    @Override
    public QAddNode withInputs(List<String> newInputs) {
        return new QAddNode(name, newInputs, output, requantize, inputZeroPoints);
    }
}
