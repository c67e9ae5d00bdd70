package dev.qtune.compiler.quant;

import java.util.Arrays;

/**
 * {@link CalibrationMode#KL}: TensorRT's entropy calibration (as MXNet and TVM implement it) on the
 * |x| histogram, re-binned to {@link #binsFor} bins: 2048 (TensorRT's histogram) up to 128 levels
 * (signed 8-bit and below), all {@link TensorStats#BINS} beyond (unsigned 8-bit). For each
 * candidate bin count {@code i} in [levels, bins]:
 * <ul>
 *   <li>the reference P is {@code hist[0..i)} with every outlier {@code hist[i..]} added to its
 *       last bin (clipping moves them there);</li>
 *   <li>the candidate Q is the unclipped slice {@code hist[0..i)} merged into {@code levels} groups
 *       of {@code i / levels} bins (the last group takes the remainder), each group's count then
 *       spread evenly over the bins where P is non-zero (as MXNet/TVM expand);</li>
 *   <li>the divergence is KL(P || Q) of the normalised distributions, summed over the bins where P
 *       is non-zero. A bin where P is non-zero but Q is zero (only the last bin, when its group of
 *       the slice is empty and all its P mass is outliers) gets Q = {@link #EPSILON} counts before
 *       normalising: the smoothing of MXNet's {@code _smooth_distribution}, simplified to touch only
 *       the entries that enter the sum. A candidate whose slice is empty (everything would be
 *       clipped) has infinite divergence, as in MXNet/TVM.</li>
 * </ul>
 * The search runs on the histogram with bin 0's count replaced by bin 1's, as NVIDIA's entropy calibrator
 * (pytorch-quantization) does: after a ReLU bin 0 holds every exact zero, often half of all values,
 * and merging that spike with its neighbours costs so much divergence that the search would always
 * pick the largest candidate that merges nothing ({@code i < 2 * levels}), clipping at about
 * {@code 2 * levels / 2048} of absMax (measured on resnet8_fashion: 25% for u8, 12% for int8, where
 * the 99.99th percentile lies at 60%). The zeros need no resolution: zero is exact at every scale.
 *
 * <p>The candidate with the smallest divergence wins (the smallest {@code i} on ties), and the
 * threshold is {@code i * binWidth}: the upper edge of the last bin kept in P. Our bins start at
 * zero (bin k covers [k, k + 1) bin widths), so P spans exactly [0, i * binWidth); TensorRT's slide
 * writes (i + 0.5) bin widths and MXNet takes the upper edge of a bin centred on zero, which in a
 * zero-anchored |x| histogram would lie half a bin beyond the data kept (and beyond absMax for
 * i = 2048). NVIDIA's pytorch-quantization also uses the bin edge.
 *
 * <p>When {@code levels >= 2048} (16-bit activations) quantization is finer than the histogram
 * and there is nothing to choose: the threshold is absMax.
 *
 * <p>Cost: each candidate is evaluated in O(levels) from prefix sums over the histogram (count,
 * non-zero bins, h ln h), because Q is constant over the non-zero bins of each group.
 */
public final class KlDivergenceCalibrator implements ThresholdCalibrator {
    /** Counts given to a zero Q entry where P is non-zero (MXNet's eps, in count space). */
    public static final double EPSILON = 1e-4;

    /** TensorRT's histogram size, which its 128 levels (and our signed 8-bit 127) are searched on. */
    static final int BASE_BINS = 2048;

    private static final int BINS = TensorStats.BINS;

    @Override
    public double threshold(Request request) {
        if (request.allZero()) {
            return 0;
        }
        TensorStats stats = request.stats();
        if (request.levels() >= BINS) {
            return stats.absMax();
        }
        int bins = binsFor(request.levels());
        long[] hist = stats.histogram(bins);
        hist[0] = hist[1];
        return bestCandidate(hist, request.levels()) * (stats.absMax() / bins);
    }

    /**
     * The histogram size KL searches for {@code levels}: {@value #BASE_BINS} up to 128 levels, all
     * {@link TensorStats#BINS} beyond. The divergence depends on the bins per level. With too few
     * (2048 bins for unsigned 8-bit's 255 levels), every candidate below {@code 2 * levels} bins
     * merges one bin per level, Q equals P there and its divergence is near zero by construction,
     * so the search clipped ReLU outputs at a quarter of their range (resnet8_fashion int8_kl:
     * 98.40% agreement with fp32 on the test images; 4096 bins, 98.40%; 16384, 99.07%). With far
     * more bins than levels for signed 8-bit, the discrete values of an input (pixels: 256 values,
     * one every 74 of 16384 bins) fall one or two to a group and the divergence becomes an
     * alignment lottery: it clipped mlp_mnist's normalised input at 43% of its range (int8_kl
     * 97.41%, fp32 98.22%). Unsigned values are outputs of ReLUs and pools, whose values are not
     * discrete in that way.
     */
    static int binsFor(int levels) {
        return levels <= 128 ? BASE_BINS : BINS;
    }

    /** The candidate bin count with the smallest divergence on {@code hist} as given (the smallest on ties). */
    static int bestCandidate(long[] hist, int levels) {
        double[] d = divergences(hist, levels);
        int bins = hist.length;
        int best = bins;
        double bestDivergence = Double.POSITIVE_INFINITY;
        for (int i = levels; i <= bins; i++) {
            if (d[i] < bestDivergence) {
                bestDivergence = d[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * KL(P || Q) for every candidate bin count {@code i}, indexed by {@code i} (length
     * {@code hist.length + 1}; entries below {@code levels} are NaN).
     */
    static double[] divergences(long[] hist, int levels) {
        int bins = hist.length;
        if (levels < 1 || levels >= bins) {
            throw new IllegalArgumentException("KL levels must be in [1, " + bins + "), but was " + levels);
        }
        Prefix prefix = new Prefix(hist);
        double[] out = new double[bins + 1];
        Arrays.fill(out, Double.NaN);
        for (int i = levels; i <= bins; i++) {
            out[i] = divergence(prefix, hist, i, levels);
        }
        return out;
    }

    private static double divergence(Prefix prefix, long[] hist, int i, int levels) {
        long total = prefix.count[hist.length];
        long kept = prefix.count[i];
        if (kept == 0) {
            return Double.POSITIVE_INFINITY;
        }
        long outliers = total - kept;
        long lastP = hist[i - 1] + outliers;
        int merged = i / levels;
        double sumPLnQ = 0;
        double smoothing = 0;
        for (int j = 0; j < levels; j++) {
            int start = j * merged;
            boolean last = j == levels - 1;
            int end = last ? i : start + merged;
            long qCount = prefix.count[end] - prefix.count[start];
            long pMass = last ? qCount + outliers : qCount;
            if (pMass == 0) {
                continue;
            }
            if (qCount == 0) {
                sumPLnQ += pMass * Math.log(EPSILON);
                smoothing += EPSILON;
                continue;
            }
            int nonZero = last
                    ? prefix.nonZero[end - 1] - prefix.nonZero[start] + (lastP > 0 ? 1 : 0)
                    : prefix.nonZero[end] - prefix.nonZero[start];
            sumPLnQ += pMass * Math.log((double) qCount / nonZero);
        }
        double sumPLnP = prefix.hLnH[i - 1] + (lastP > 0 ? lastP * Math.log(lastP) : 0);
        return (sumPLnP - sumPLnQ) / total + Math.log((kept + smoothing) / total);
    }

    /** Prefix sums over {@code hist[0..k)}: counts, non-zero bins and h ln h. */
    private static final class Prefix {
        final long[] count;
        final int[] nonZero;
        final double[] hLnH;

        Prefix(long[] hist) {
            int bins = hist.length;
            count = new long[bins + 1];
            nonZero = new int[bins + 1];
            hLnH = new double[bins + 1];
            for (int k = 0; k < bins; k++) {
                long h = hist[k];
                count[k + 1] = count[k] + h;
                nonZero[k + 1] = nonZero[k] + (h > 0 ? 1 : 0);
                hLnH[k + 1] = hLnH[k] + (h > 0 ? h * Math.log(h) : 0);
            }
        }
    }
}
