package dev.qtune.compiler.quant;

import java.util.Arrays;

/**
 * {@link CalibrationMode#KL}: TensorRT's entropy calibration (as MXNet and TVM implement it) on the
 * 2048-bin |x| histogram. For each candidate bin count {@code i} in [levels, 2048]:
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
        long[] hist = stats.histogram();
        hist[0] = hist[1];
        return bestCandidate(hist, request.levels()) * stats.binWidth();
    }

    /** The candidate bin count with the smallest divergence on {@code hist} as given (the smallest on ties). */
    static int bestCandidate(long[] hist, int levels) {
        double[] d = divergences(hist, levels);
        int best = BINS;
        double bestDivergence = Double.POSITIVE_INFINITY;
        for (int i = levels; i <= BINS; i++) {
            if (d[i] < bestDivergence) {
                bestDivergence = d[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * KL(P || Q) for every candidate bin count {@code i}, indexed by {@code i} (length BINS + 1;
     * entries below {@code levels} are NaN).
     */
    static double[] divergences(long[] hist, int levels) {
        if (hist.length != BINS) {
            throw new IllegalArgumentException("histogram must have " + BINS + " bins, but had " + hist.length);
        }
        if (levels < 1 || levels >= BINS) {
            throw new IllegalArgumentException("KL levels must be in [1, " + BINS + "), but was " + levels);
        }
        Prefix prefix = new Prefix(hist);
        double[] out = new double[BINS + 1];
        Arrays.fill(out, Double.NaN);
        for (int i = levels; i <= BINS; i++) {
            out[i] = divergence(prefix, hist, i, levels);
        }
        return out;
    }

    private static double divergence(Prefix prefix, long[] hist, int i, int levels) {
        long total = prefix.count[BINS];
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
            int nonZero = last ? prefix.nonZero[end - 1] - prefix.nonZero[start] + (lastP > 0 ? 1 : 0)
                    : prefix.nonZero[end] - prefix.nonZero[start];
            sumPLnQ += pMass * Math.log((double) qCount / nonZero);
        }
        double sumPLnP = prefix.hLnH[i - 1] + (lastP > 0 ? lastP * Math.log(lastP) : 0);
        return (sumPLnP - sumPLnQ) / total + Math.log((kept + smoothing) / total);
    }

    /** Prefix sums over {@code hist[0..k)}: counts, non-zero bins and h ln h. */
    private static final class Prefix {
        final long[] count = new long[BINS + 1];
        final int[] nonZero = new int[BINS + 1];
        final double[] hLnH = new double[BINS + 1];

        Prefix(long[] hist) {
            for (int k = 0; k < BINS; k++) {
                long h = hist[k];
                count[k + 1] = count[k] + h;
                nonZero[k + 1] = nonZero[k] + (h > 0 ? 1 : 0);
                hLnH[k + 1] = hLnH[k] + (h > 0 ? h * Math.log(h) : 0);
            }
        }
    }
}
