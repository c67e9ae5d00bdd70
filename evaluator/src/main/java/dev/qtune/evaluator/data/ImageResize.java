package dev.qtune.evaluator.data;

/**
 * Bilinear resampling with antialiasing as Pillow's {@code Image.resize(size, BILINEAR)} does it
 * (torchvision's default for PIL images): a triangle filter whose support widens with the
 * downscale factor, 22-bit fixed-point coefficients, a horizontal pass to 8 bits, then a vertical
 * pass. Planes are unsigned bytes, one channel each, row-major.
 */
final class ImageResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private ImageResize() {}

    /** The plane {@code src} of {@code h x w} resized to {@code th x tw}. */
    static int[] resize(int[] src, int h, int w, int th, int tw) {
        int[] out = src;
        int width = w;
        if (tw != w) {
            out = horizontal(out, h, w, tw);
            width = tw;
        }
        if (th != h) {
            out = vertical(out, h, width, th);
        }
        return out == src ? src.clone() : out;
    }

    /**
     * torchvision's output size of {@code Resize(edge)}: the shorter side becomes {@code edge}, the
     * longer one {@code int(edge * long / short)}; {height, width}.
     */
    static int[] edgeSize(int h, int w, int edge) {
        if (w <= h) {
            return new int[] {(int) ((long) edge * h / w), edge};
        }
        return new int[] {edge, (int) ((long) edge * w / h)};
    }

    private static int[] horizontal(int[] src, int h, int w, int tw) {
        Coefficients c = Coefficients.of(w, tw);
        int[] out = new int[h * tw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < tw; x++) {
                int min = c.bounds[2 * x];
                int n = c.bounds[2 * x + 1];
                long ss = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < n; k++) {
                    ss += (long) src[y * w + min + k] * c.weights[x * c.size + k];
                }
                out[y * tw + x] = clip8(ss);
            }
        }
        return out;
    }

    private static int[] vertical(int[] src, int h, int w, int th) {
        Coefficients c = Coefficients.of(h, th);
        int[] out = new int[th * w];
        for (int y = 0; y < th; y++) {
            int min = c.bounds[2 * y];
            int n = c.bounds[2 * y + 1];
            for (int x = 0; x < w; x++) {
                long ss = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < n; k++) {
                    ss += (long) src[(min + k) * w + x] * c.weights[y * c.size + k];
                }
                out[y * w + x] = clip8(ss);
            }
        }
        return out;
    }

    private static int clip8(long ss) {
        long v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : v > 255 ? 255 : (int) v;
    }

    /** Per output index: the first input index and count ({@code bounds}), and fixed-point weights. */
    private record Coefficients(int size, int[] bounds, int[] weights) {
        static Coefficients of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(1.0, scale);
            double support = 1.0 * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[2 * out];
            int[] weights = new int[out * size];
            double[] k = new double[size];
            for (int xx = 0; xx < out; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                int min = Math.max(0, (int) (center - support + 0.5));
                int max = Math.min(in, (int) (center + support + 0.5)) - min;
                double ww = 0;
                for (int x = 0; x < max; x++) {
                    double t = Math.abs((x + min - center + 0.5) * ss);
                    k[x] = t < 1.0 ? 1.0 - t : 0.0;
                    ww += k[x];
                }
                for (int x = 0; x < max; x++) {
                    double v = ww != 0 ? k[x] / ww : k[x];
                    double f = v * (1 << PRECISION_BITS);
                    weights[xx * size + x] = (int) (v < 0 ? Math.ceil(f - 0.5) : Math.floor(f + 0.5));
                }
                bounds[2 * xx] = min;
                bounds[2 * xx + 1] = max;
            }
            return new Coefficients(size, bounds, weights);
        }
    }
}
