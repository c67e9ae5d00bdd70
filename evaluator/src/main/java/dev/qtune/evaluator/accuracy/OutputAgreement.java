package dev.qtune.evaluator.accuracy;

/**
 * How close a model's outputs are to a reference's on the same samples (both {@code n x classes}
 * logits, row by row): the fraction of samples whose top class agrees, and the mean KL divergence
 * KL(softmax(reference) || softmax(outputs)) in nats. A paired, label-free measure: it sees a
 * small distortion that top-1 on a few thousand labels cannot resolve.
 */
public record OutputAgreement(double agreement, double divergence) {

    public static OutputAgreement of(float[] reference, float[] outputs, int n) {
        if (n < 1 || reference.length < outputs.length || outputs.length % n != 0) {
            throw new IllegalArgumentException("outputs must hold n >= 1 rows within the reference, but had "
                    + outputs.length + " values for n = " + n + " against " + reference.length);
        }
        int classes = outputs.length / n;
        int same = 0;
        double kl = 0;
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            same += argmax(reference, o, classes) == argmax(outputs, o, classes) ? 1 : 0;
            kl += kl(reference, outputs, o, classes);
        }
        return new OutputAgreement(same / (double) n, Math.max(0, kl / n));
    }

    private static int argmax(float[] y, int o, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (y[o + c] > y[o + best]) {
                best = c;
            }
        }
        return best;
    }

    private static double kl(float[] p, float[] q, int o, int classes) {
        double lp = logSumExp(p, o, classes);
        double lq = logSumExp(q, o, classes);
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double logP = p[o + c] - lp;
            double logQ = q[o + c] - lq;
            sum += Math.exp(logP) * (logP - logQ);
        }
        return sum;
    }

    private static double logSumExp(float[] y, int o, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, y[o + c]);
        }
        double s = 0;
        for (int c = 0; c < classes; c++) {
            s += Math.exp(y[o + c] - max);
        }
        return max + Math.log(s);
    }
}
