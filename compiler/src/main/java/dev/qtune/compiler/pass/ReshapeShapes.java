package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.Arrays;

/** Resolves an ONNX Reshape target (with 0 and -1 entries) against an input shape. */
public final class ReshapeShapes {
    private ReshapeShapes() {}

    /** The output shape; a DYNAMIC input dimension copied by 0 stays DYNAMIC. */
    public static Shape resolve(ReshapeNode n, Shape in, Tensor target) {
        int[] out = new int[target.numel()];
        int inferAt = -1;
        for (int i = 0; i < out.length; i++) {
            long v = target.getLong(i);
            if (v == 0 && !n.allowZero()) {
                if (i >= in.rank()) {
                    throw TypeRules.error(
                            n, "shape entry " + i + " is 0 but the input " + in + " has no dimension " + i);
                }
                out[i] = in.dim(i);
            } else if (v == -1) {
                if (inferAt >= 0) {
                    throw TypeRules.error(n, "shape may contain at most one -1, but was " + describe(target));
                }
                inferAt = i;
            } else if (v < 0) {
                throw TypeRules.error(n, "shape entries must be >= -1, but was " + describe(target));
            } else {
                out[i] = (int) v;
            }
        }
        if (inferAt >= 0) {
            out[inferAt] = infer(n, in, out, inferAt);
        } else if (in.isStatic() && (long) in.numel() != Shape.of(out).product(0, out.length)) {
            throw TypeRules.error(
                    n,
                    "cannot reshape " + in + " (" + in.numel() + " elements) into " + describe(target) + " = "
                            + Shape.of(out));
        }
        return Shape.of(out);
    }

    private static int infer(Node n, Shape in, int[] out, int at) {
        int total = in.product(0, in.rank());
        long known = 1;
        boolean dynamic = false;
        for (int i = 0; i < out.length; i++) {
            if (i == at) {
                continue;
            }
            if (out[i] == Shape.DYNAMIC) {
                dynamic = true;
            } else {
                known *= out[i];
            }
        }
        if (total == Shape.DYNAMIC || dynamic) {
            // The batch axis is unknown: the inferred axis absorbs it unless it is copied elsewhere.
            return dynamic ? (int) (in.product(1, in.rank()) / Math.max(1, known)) : Shape.DYNAMIC;
        }
        if (known == 0 || total % known != 0) {
            throw TypeRules.error(n, "cannot reshape " + in + " into " + Arrays.toString(out) + " with one -1");
        }
        return (int) (total / known);
    }

    private static String describe(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < t.numel(); i++) {
            sb.append(i > 0 ? ", " : "").append(t.getLong(i));
        }
        return sb.append(']').toString();
    }
}
