package dev.qtune.evaluator.accuracy;

/**
 * Top-1 accuracy of a model on a dataset split: how many samples, how many predicted right, the
 * wall-clock seconds of the run, and each sample's predicted class.
 */
public record AccuracyResult(int samples, int correct, double seconds, int[] predictions) {
    public AccuracyResult {
        if (samples < 0 || correct < 0 || correct > samples) {
            throw new IllegalArgumentException(
                    "correct must be in [0, samples], but was " + correct + " of " + samples);
        }
        predictions = predictions.clone();
    }

    /** Fraction of samples predicted right (0 for an empty run). */
    public double top1() {
        return samples == 0 ? 0 : (double) correct / samples;
    }

    @Override
    public int[] predictions() {
        return predictions.clone();
    }
}
