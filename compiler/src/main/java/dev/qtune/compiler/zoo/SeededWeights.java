package dev.qtune.compiler.zoo;

import dev.qtune.compiler.ir.Shape;
import dev.qtune.compiler.ir.Tensor;
import java.util.SplittableRandom;

/**
 * Seeded random constants for the benchmark zoo: He-normal weights (standard deviation
 * sqrt(2 / fanIn)) from Box-Muller Gaussians over a {@link SplittableRandom}, and uniform values.
 * The same seed and the same sequence of calls give the same tensors, bit for bit, everywhere.
 */
final class SeededWeights {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    SeededWeights(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** He-normal (Kaiming, fan-in) weights of the given shape. */
    Tensor heNormal(Shape shape, int fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fanIn must be >= 1, but was " + fanIn);
        }
        return normal(shape, Math.sqrt(2.0 / fanIn), 0);
    }

    /** Values drawn from N(mean, std^2). */
    Tensor normal(Shape shape, double std, double mean) {
        float[] v = new float[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * gaussian());
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Values drawn uniformly from [lo, hi). */
    Tensor uniform(Shape shape, double lo, double hi) {
        float[] v = new float[shape.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return Tensor.ofFloats(shape, v);
    }

    /** A standard normal value (Box-Muller, both values of each pair used). */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log(u1) is finite
        double u2 = random.nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spare = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }
}
