package dev.qtune.evaluator.accuracy;

/** Told, from any thread, how many samples are done out of how many. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    void progress(int done, int total);
}
