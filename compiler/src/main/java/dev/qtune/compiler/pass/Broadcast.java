package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;

/** Numpy (ONNX multidirectional) broadcasting of two shapes. */
public final class Broadcast {
    private Broadcast() {
    }

    public static Shape shape(Node n, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else if (da == Shape.DYNAMIC || db == Shape.DYNAMIC) {
                out[i] = Shape.DYNAMIC;
            } else {
                throw TypeRules.error(n, "shapes " + a + " and " + b + " do not broadcast");
            }
        }
        return Shape.of(out);
    }
}
