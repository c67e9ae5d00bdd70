package dev.qtune.compiler.pass;

import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Shape;

/** Numpy (ONNX multidirectional) broadcasting of two shapes. */
public final class Broadcast {
    private Broadcast() {}

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

    /** For each element of {@code out}, the flat index of the element of {@code in} it reads (numpy broadcasting). */
    public static int[] index(Shape in, Shape out) {
        int rank = out.rank();
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int inAxis = d - (rank - in.rank());
            int size = inAxis >= 0 ? in.dim(inAxis) : 1;
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        int[] index = new int[out.numel()];
        int[] pos = new int[rank];
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            index[i] = flat;
            for (int d = rank - 1; d >= 0; d--) {
                pos[d]++;
                flat += strides[d];
                if (pos[d] < out.dim(d)) {
                    break;
                }
                flat -= strides[d] * pos[d];
                pos[d] = 0;
            }
        }
        return index;
    }
}
